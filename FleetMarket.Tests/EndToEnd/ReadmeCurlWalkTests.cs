using System.Diagnostics;
using System.Text.RegularExpressions;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.ApiKeys;
using FleetMarket.Worker.Inference;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.EndToEnd;

/// <summary>
/// The README's curl walk-through, command by command as it is written there, in bash against the real app with the
/// real worker running: a buyer who pastes it gets a completed job's outputs and a reservation, with no error.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class ReadmeCurlWalkTests(FleetApp app) : IClassFixture<FleetApp>
{
    private readonly MarketplaceBuilder _market = new(app);

    [Fact]
    public async Task CurlWalk_AsTheReadmeWritesIt_CompletesTheJobAndBooksTheReservation()
    {
        var (_, code) = await _market.DeviceAwaitingPairingAsync(askingPricePerHourMinor: 150);
        using var worker = new WorkerProcess();
        var paired = await worker.RunAsync("pair", "--server", app.BaseAddress.ToString(), "--code", code.Code);
        Assert.True(paired.ExitCode == 0, paired.Error + paired.Output);
        var running = worker.Start("run");
        var buyer = await _market.BuyerWithBalanceAsync(50_00);
        var key = await app.InScopeAsync(s => s.GetRequiredService<ApiKeyService>().CreateAsync(buyer.Id, "readme"));
        var folder = Directory.CreateTempSubdirectory("fleetmarket-readme-").FullName;
        try
        {
            var samples = Directory.CreateDirectory(Path.Combine(folder, "samples")).FullName;
            await File.WriteAllBytesAsync(Path.Combine(samples, "mlp.onnx"), ReferenceModel.Build());
            var inputs = MarketplaceBuilder.SampleInputs(rows: 10);
            await File.WriteAllBytesAsync(Path.Combine(samples, "inputs.npy"), Npy.ToBytes(inputs));

            var (exit, output) = await RunBashAsync(folder, Script(app.BaseAddress.ToString().TrimEnd('/'), key.Key));

            Assert.True(exit == 0, output);
            Assert.Contains("\"availableMinor\":5000", output);
            Assert.DoesNotContain("\"status\":4", output);
            var outputs = Npy.Read(await File.ReadAllBytesAsync(Path.Combine(folder, "outputs.npy")));
            Assert.Equal(ReferenceModel.Compute(inputs).Shape, outputs.Shape);
            Assert.Contains("\"state\":\"Cancelled\"", output);
        }
        finally
        {
            await WorkerProcess.StopAsync(running);
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The README's block, with its server and key filled in. A person waits for "status":"Completed" before the
    /// download, so the script does too; the numpy line is for the reader's eyes (the test reads outputs.npy itself).
    /// </summary>
    private static string Script(string server, string key)
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var block = OverHttpBlock().Match(readme).Groups["block"].Value;
        Assert.False(string.IsNullOrEmpty(block), "the README has a bash block under 'Over HTTP'");
        var lines = new List<string> { "set -euo pipefail" };
        foreach (var line in block.Split('\n'))
        {
            if (line.StartsWith("SERVER=", StringComparison.Ordinal))
            {
                lines.Add($"SERVER={server}");
            }
            else if (line.StartsWith("KEY=", StringComparison.Ordinal))
            {
                lines.Add($"KEY={key}");
            }
            else if (line.StartsWith("python3 ", StringComparison.Ordinal))
            {
                continue;
            }
            else
            {
                if (line.Contains("/outputs", StringComparison.Ordinal))
                {
                    lines.Add("""for i in $(seq 1 120); do curl -s -H "$AUTH" $SERVER/api/jobs/$JOB | grep -q '"status":"Completed"' && break; sleep 0.5; done""");
                }

                lines.Add(line);
            }
        }

        return string.Join('\n', lines);
    }

    private static async Task<(int ExitCode, string Output)> RunBashAsync(string folder, string script)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var error = bash.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await bash.WaitForExitAsync(timeout.Token);
        return (bash.ExitCode, await output + await error);
    }

    [GeneratedRegex(@"## Over HTTP.*?```bash\n(?<block>.*?)```", RegexOptions.Singleline)]
    private static partial Regex OverHttpBlock();
}
