using FleetMarket.Worker.Cli;

namespace FleetMarket.Tests.Unit.Worker;

public class CommandLineTests
{
    [Theory]
    [InlineData("pair", "--server", "https://fleet.example", "--code", "ABCD-1234")]
    [InlineData("pair", "--code=ABCD-1234", "--server=https://fleet.example")]
    public void Parse_Pair_ReturnsServerAndCode(params string[] args)
    {
        var command = Assert.IsType<PairCommand>(CommandLine.Parse(args));

        Assert.Equal(new Uri("https://fleet.example"), command.Server);
        Assert.Equal("ABCD-1234", command.Code);
    }

    [Theory]
    [InlineData(false, "run")]
    [InlineData(true, "run", "--once")]
    public void Parse_Run_ReadsOnceFlag(bool once, params string[] args)
    {
        Assert.Equal(new RunCommand(once), CommandLine.Parse(args));
    }

    [Fact]
    public void Parse_Sample_ReturnsOutDirectory()
    {
        Assert.Equal(new SampleCommand("samples"), CommandLine.Parse(["sample", "--out", "samples"]));
    }

    [Fact]
    public void Parse_BenchmarkAndStatus_ReturnThoseCommands()
    {
        Assert.IsType<BenchmarkCommand>(CommandLine.Parse(["benchmark"]));
        Assert.IsType<StatusCommand>(CommandLine.Parse(["status"]));
    }

    [Fact]
    public void Usage_ListsEveryCommand()
    {
        Assert.All(["pair", "run", "benchmark", "status", "sample", "--help"], command => Assert.Contains($"FleetMarket.Worker {command}", CommandLine.Usage));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("pair", "--help")]
    public void Parse_Help_ReturnsHelp(params string[] args)
    {
        Assert.IsType<HelpCommand>(CommandLine.Parse(args));
    }

    [Theory]
    [InlineData("No command given.")]
    [InlineData("Unknown command 'serve'.", "serve")]
    [InlineData("'pair' needs --code.", "pair", "--server", "http://localhost:5000")]
    [InlineData("Option --server of 'pair' needs a value.", "pair", "--server", "--code", "X")]
    [InlineData("--server must be an http:// or https:// address, not 'localhost:5000'.", "pair", "--server", "localhost:5000", "--code", "X")]
    [InlineData("Option --code is given twice.", "pair", "--server", "http://a", "--code", "X", "--code", "Y")]
    [InlineData("Unknown option '--forever' for 'run'.", "run", "--forever")]
    [InlineData("Option --once of 'run' takes no value.", "run", "--once=yes")]
    [InlineData("Unexpected argument 'now' for 'run'.", "run", "now")]
    [InlineData("'sample' needs --out.", "sample")]
    [InlineData("Unknown option '--batches' for 'benchmark'.", "benchmark", "--batches", "10")]
    [InlineData("Unexpected argument 'now' for 'status'.", "status", "now")]
    public void Parse_BadArguments_ThrowsUsageException(string expected, params string[] args)
    {
        var error = Assert.Throws<UsageException>(() => CommandLine.Parse(args));

        Assert.Equal(expected, error.Message);
    }
}
