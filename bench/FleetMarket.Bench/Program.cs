using BenchmarkDotNet.Running;

namespace FleetMarket.Bench;

public static class Program
{
    /// <summary>
    /// dotnet run -c Release --project bench/FleetMarket.Bench -- --filter '*'
    /// dotnet run -c Release --project bench/FleetMarket.Bench -- settle [--records 1000000] [--owners 1000]
    /// dotnet run -c Release --project bench/FleetMarket.Bench -- job [--rounds 3]
    /// dotnet run -c Release --project bench/FleetMarket.Bench -- models [--rounds 3] [--only NAME] [--floors-only]
    /// dotnet run -c Release --project bench/FleetMarket.Bench -- transfers [--rounds 3] [--only NAME]
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        if (args is ["job", .. var jobArgs])
        {
            return await JobLatency.RunAsync(jobArgs);
        }

        if (args is ["models", .. var modelArgs])
        {
            return await RealModels.ModelLatency.RunAsync(modelArgs);
        }

        if (args is ["transfers", .. var transferArgs])
        {
            return await RealModels.StorageComparison.RunAsync(transferArgs);
        }

        if (args is ["settle", .. var settleArgs])
        {
            return await SettlementScale.RunAsync(settleArgs);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
