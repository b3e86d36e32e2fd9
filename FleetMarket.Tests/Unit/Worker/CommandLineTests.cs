using System.Text.RegularExpressions;
using FleetMarket.Worker.Cli;

namespace FleetMarket.Tests.Unit.Worker;

public class CommandLineTests
{
    [Theory]
    [InlineData("pair", "--server", "https://fleet.example", "--code", "ABCD-1234")]
    [InlineData("pair", "--code=ABCD-1234", "--server=https://fleet.example")]
    [InlineData("pair", "--server", "https://fleet.example", "--code", " ABCD-1234 ")]
    public void Parse_Pair_ReturnsServerAndCode(params string[] args)
    {
        var command = Assert.IsType<PairCommand>(WorkerCommandLine.Parse(args));

        Assert.Equal(new Uri("https://fleet.example"), command.Server);
        Assert.Equal("ABCD-1234", command.Code);
    }

    [Theory]
    [InlineData(false, "run")]
    [InlineData(true, "run", "--once")]
    public void Parse_Run_ReadsOnceFlag(bool once, params string[] args)
    {
        Assert.Equal(new RunCommand(once), WorkerCommandLine.Parse(args));
    }

    [Fact]
    public void Parse_Sample_ReturnsOutDirectory()
    {
        Assert.Equal(new SampleCommand("samples"), WorkerCommandLine.Parse(["sample", "--out", "samples"]));
    }

    [Fact]
    public void Parse_BenchmarkAndStatus_ReturnThoseCommands()
    {
        Assert.IsType<BenchmarkCommand>(WorkerCommandLine.Parse(["benchmark"]));
        Assert.IsType<StatusCommand>(WorkerCommandLine.Parse(["status"]));
    }

    [Fact]
    public async Task Help_ListsEveryCommandAndTheExitCodes()
    {
        var help = await HelpTextAsync("--help");

        Assert.All(["pair", "run", "benchmark", "status", "sample"], command => Assert.Matches(new Regex($@"^\s+{command}\s", RegexOptions.Multiline), help));
        Assert.Contains("--help", help);
        Assert.Contains("FleetMarket.Worker [command] [options]", help);
        Assert.Contains("Exit codes: 0 success, 1 failure, 2 wrong usage, 130 interrupted.", help);
    }

    [Fact]
    public async Task Help_ForACommand_ShowsItsOptions()
    {
        var help = await HelpTextAsync("pair", "--help");

        Assert.Contains("--server <URL>", help);
        Assert.Contains("--code <CODE>", help);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("pair", "--help")]
    [InlineData("run", "--forever", "--help")]
    public void Parse_Help_ReturnsHelp(params string[] args)
    {
        Assert.IsType<HelpCommand>(WorkerCommandLine.Parse(args));
    }

    /// <summary>The messages are System.CommandLine's, but each names what is wrong: the command, the option or the argument.</summary>
    [Theory]
    [InlineData("command")]
    [InlineData("'serve'", "serve")]
    [InlineData("'--code'", "pair", "--server", "http://localhost:5000")]
    [InlineData("Option --server of 'pair' needs a value.", "pair", "--server", "--code", "X")]
    [InlineData("--server must be an http:// or https:// address, not 'localhost:5000'.", "pair", "--server", "localhost:5000", "--code", "X")]
    [InlineData("Option --code of 'pair' needs a non-empty value.", "pair", "--server", "http://a", "--code", " ")]
    [InlineData("'--code'", "pair", "--server", "http://a", "--code", "X", "--code", "Y")]
    [InlineData("'--forever'", "run", "--forever")]
    [InlineData("'yes'", "run", "--once=yes")]
    [InlineData("'now'", "run", "now")]
    [InlineData("'--out'", "sample")]
    [InlineData("'--batches'", "benchmark", "--batches", "10")]
    [InlineData("'now'", "status", "now")]
    [InlineData("'@codes.txt'", "status", "@codes.txt")]
    [InlineData("'--version'", "--version")]
    public void Parse_BadArguments_ThrowsUsageExceptionNamingTheProblem(string mentioned, params string[] args)
    {
        var error = Assert.Throws<UsageException>(() => WorkerCommandLine.Parse(args));

        Assert.Contains(mentioned, error.Message);
    }

    private static async Task<string> HelpTextAsync(params string[] args)
    {
        using var output = new StringWriter();
        Assert.Equal(0, await WorkerCommandLine.Parse(args).ExecuteAsync(output, output));
        return output.ToString();
    }
}
