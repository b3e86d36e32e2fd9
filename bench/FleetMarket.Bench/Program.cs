using BenchmarkDotNet.Running;

namespace FleetMarket.Bench;

public static class Program
{
    /// <summary>dotnet run -c Release --project bench/FleetMarket.Bench -- --filter '*'</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
