using System.Net.Http.Json;
using BenchmarkDotNet.Attributes;
using FleetMarket.Protocol;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Worker.Inference;

namespace FleetMarket.Bench;

/// <summary>
/// The worker protocol's hot path over real HTTP on the real app (SQLite, Hangfire running), against a
/// floor in the same process: a request that passes through the same pipeline and does no work.
/// </summary>
[MemoryDiagnoser]
[InProcess]
[WarmupCount(2)]
[IterationCount(10)]
[InvocationCount(Units)]
public class DispatchBenchmarks
{
    private const int Units = 200;

    /// <summary>Enough queued units for every measured lease (12 iterations of 200), so nothing is re-queued mid-run.</summary>
    private const int QueuedUnits = 4_000;
    private static readonly HeartbeatRequest Beat = new(new DeviceConditions(true, true, 90, 40), "CPU");
    private FleetApp _app = default!;
    private HttpClient _device = default!;
    private HttpClient _anonymous = default!;
    private byte[] _outputs = default!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _app = new FleetApp(new() { ["Marketplace:LeaseDuration"] = "00:30:00", ["Marketplace:MaxUnitDuration"] = "00:30:00" });
        var market = new MarketplaceBuilder(_app);
        _device = market.DeviceClient(await market.PairedDeviceAsync());
        _anonymous = _app.NewClient();
        var buyer = await market.BuyerWithBalanceAsync(1_000_000_00);
        await market.SubmitSampleJobAsync(buyer, rows: QueuedUnits, rowsPerUnit: 1);
        _outputs = Npz.ToBytes(new Dictionary<string, NpyArray>
        {
            [ReferenceModel.OutputName] = ReferenceModel.Compute(MarketplaceBuilder.SampleInputs(1)),
        });
    }

    [Benchmark(Baseline = true, Description = "floor: empty request through the pipeline")]
    public async Task<int> Floor() => (int)(await _anonymous.GetAsync("/api/floor")).StatusCode;

    [Benchmark(Description = "heartbeat")]
    public async Task<bool> Heartbeat() =>
        (await (await _device.PostAsJsonAsync(WorkerRoutes.Heartbeat, Beat)).Content.ReadFromJsonAsync<HeartbeatResponse>())!.ShouldWork;

    [Benchmark(Description = "lease + complete one unit")]
    public async Task<bool> LeaseAndComplete()
    {
        var lease = await MarketplaceBuilder.LeaseAsync(_device) ?? throw new InvalidOperationException("The queue ran dry.");
        var response = await MarketplaceBuilder.UploadAsync(_device, lease.LeaseId, _outputs);
        return response.IsSuccessStatusCode;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _device.Dispose();
        _anonymous.Dispose();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
