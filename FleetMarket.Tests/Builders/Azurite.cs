using System.Diagnostics;
using System.Text.RegularExpressions;
using FleetMarket.Web.Blobs;

namespace FleetMarket.Tests.Builders;

/// <summary>
/// Azurite, Microsoft's Azure Storage emulator, from npm (tools/azurite, installed by the build: Azurite.targets): its
/// blob service on a loopback port, in memory, one process for the whole test run. Each app gets a container of its
/// own, so apps never see each other's blobs.
/// </summary>
public sealed partial class Azurite
{
    /// <summary>Azurite's one account and its well-known key (published in Azurite's documentation; not a secret).</summary>
    public const string Account = "devstoreaccount1";

    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly Lazy<Azurite> Instance = new(Start);

    private readonly Process _process;

    private Azurite(Process process, Uri blobEndpoint)
    {
        _process = process;
        BlobEndpoint = blobEndpoint;
    }

    /// <summary>The emulator, started on first use and stopped when the test process exits.</summary>
    public static Azurite Shared => Instance.Value;

    /// <summary>The blob service, with the account in its path as Azurite serves it.</summary>
    public Uri BlobEndpoint { get; }

    /// <summary>CPU the emulator's process has used so far: a load test reports it beside its own process's.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};";

    /// <summary>Configuration that puts an app's blobs in a fresh container here.</summary>
    public Dictionary<string, string?> Settings(TimeSpan? transferUrlLifetime = null) => new()
    {
        ["BlobStorage:Kind"] = nameof(BlobStorageKind.AzureBlob),
        ["BlobStorage:ConnectionString"] = ConnectionString,
        ["BlobStorage:Container"] = $"test-{Guid.NewGuid():N}",
        ["BlobStorage:TransferUrlLifetime"] = (transferUrlLifetime ?? TimeSpan.FromMinutes(15)).ToString(),
    };

    private static Azurite Start()
    {
        var main = Path.Combine(Repository.Root, "tools", "azurite", "node_modules", "azurite", "dist", "src", "blob", "main.js");
        if (!File.Exists(main))
        {
            throw new InvalidOperationException($"Azurite is not installed at {main}: building FleetMarket.Tests or the benchmarks runs `npm ci` in tools/azurite (node and npm needed).");
        }

        var start = new ProcessStartInfo("node")
        {
            // In memory, strict about API versions only where the SDK is newer than the emulator, and without its telemetry.
            ArgumentList = { main, "--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry" },
            WorkingDirectory = Directory.CreateTempSubdirectory("fleetmarket-azurite-").FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started.");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(process);

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                return;
            }

            output.Enqueue(line.Data);
            if (ListeningAt().Match(line.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri($"{match.Groups["address"].Value}/{Account}"));
            }
        };
        process.ErrorDataReceived += (_, line) => output.Enqueue(line.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!listening.Task.Wait(TimeSpan.FromSeconds(60)))
        {
            Stop(process);
            throw new InvalidOperationException($"Azurite did not start within a minute:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
        }

        return new Azurite(process, listening.Task.Result);
    }

    private static void Stop(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Gone already.
        }
    }

    [GeneratedRegex(@"listens on (?<address>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningAt();
}
