using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Money;
using FleetMarket.Domain.Verification;
using FleetMarket.Protocol;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Worker.Inference;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.LoadTest;

internal sealed record SimulatedDevice(int Number, Guid DeviceId, AuthenticationHeaderValue Authorization);

/// <summary>A unit's correct outputs as the worker would upload them (an <c>.npz</c>), and their declaration for a direct upload.</summary>
internal sealed record UnitOutputs(byte[] Npz, UploadedOutputs Declared);

/// <summary>
/// The real app (the integration tests' <see cref="FleetApp"/>) filled for a load test: owners with paired devices,
/// a buyer with a large balance, and one job split into one-row units whose correct outputs are computed up front,
/// so that a simulated device spends no time on inference. Its blobs are in the app's data folder or, for
/// <see cref="Store.Azurite"/>, in a fresh container of the shared Azurite.
/// </summary>
internal sealed class Fleet : IAsyncDisposable
{
    private readonly Dictionary<string, UnitOutputs> _outputsByInput;

    private Fleet(Store store, FleetApp app, IReadOnlyList<SimulatedDevice> devices, Dictionary<string, UnitOutputs> outputsByInput, int units)
    {
        Store = store;
        App = app;
        Devices = devices;
        _outputsByInput = outputsByInput;
        Units = units;
    }

    public Store Store { get; }

    public FleetApp App { get; }

    public IReadOnlyList<SimulatedDevice> Devices { get; }

    public int Units { get; }

    /// <summary>The unit's correct outputs, by the unit's input blob.</summary>
    public UnitOutputs OutputsFor(string inputSha256) => _outputsByInput[inputSha256];

    public static async Task<Fleet> CreateAsync(LoadTestOptions options, Store store, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var settings = new Dictionary<string, string?>
        {
            // Pairing is throttled per client address; every simulated device pairs from 127.0.0.1.
            ["Marketplace:PairingAttemptsPerMinute"] = "10000",

            // Keep the console for the report: the app's own logs at Information would interleave with it.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Hangfire"] = "Warning",
        };
        if (store == Store.Azurite)
        {
            foreach (var (key, value) in Azurite.Shared.Settings())
            {
                settings[key] = value;
            }
        }

        var app = new FleetApp(settings);
        try
        {
            log.WriteLine($"app started on {app.BaseAddress} ({clock.Elapsed.TotalSeconds:0.0} s); data in {app.DataPath}" +
                (store == Store.Azurite ? $", blobs in Azurite at {Azurite.Shared.BlobEndpoint}" : ""));
            var devices = await PairDevicesAsync(app, options, log);
            log.WriteLine($"{devices.Count} devices paired ({clock.Elapsed.TotalSeconds:0.0} s)");

            var units = options.EffectiveUnits;
            var outputs = await SubmitJobAsync(app, units);
            log.WriteLine($"job of {units} one-row units queued, outputs precomputed ({clock.Elapsed.TotalSeconds:0.0} s)");
            return new Fleet(store, app, devices, outputs, units);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Owners add devices in the portal's service; each device pairs through the protocol, over HTTP.</summary>
    private static async Task<IReadOnlyList<SimulatedDevice>> PairDevicesAsync(FleetApp app, LoadTestOptions options, TextWriter log)
    {
        var owners = (options.Devices + options.DevicesPerOwner - 1) / options.DevicesPerOwner;
        var codes = new List<PairingCode>(options.Devices);
        for (var owner = 0; owner < owners; owner++)
        {
            var user = await TestUsers.CreateAsync(app, Roles.Owner, $"owner-{owner}@loadtest.example");
            var count = Math.Min(options.DevicesPerOwner, options.Devices - codes.Count);
            await app.InScopeAsync(async services =>
            {
                var deviceService = services.GetRequiredService<DeviceService>();
                for (var i = 0; i < count; i++)
                {
                    var number = codes.Count;
                    codes.Add(await deviceService.AddAsync(user.Id,
                        new NewDevice($"Car {number}", DeviceKind.Car, "HW4", 16_384, "us-west", new Money(120, "USD"))));
                }
            });
        }

        log.WriteLine($"{codes.Count} devices added for {owners} owners; pairing");
        using var client = app.NewClient();
        var devices = new SimulatedDevice[codes.Count];
        await Parallel.ForAsync(0, codes.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellationToken) =>
        {
            using var response = await client.PostAsJsonAsync(WorkerRoutes.Pair, new PairRequest(codes[i].Code, "load-test"), cancellationToken);
            response.EnsureSuccessStatusCode();
            var paired = (await response.Content.ReadFromJsonAsync<PairResponse>(cancellationToken))!;
            devices[i] = new SimulatedDevice(i, paired.DeviceId, new AuthenticationHeaderValue("Bearer", paired.Credential));
        });
        return devices;
    }

    /// <summary>
    /// Distinct random rows, so every unit has its own input blob and its own output blob (a completion really
    /// writes one); submitted through the buyer's own service, as the jobs API does.
    /// </summary>
    private static async Task<Dictionary<string, UnitOutputs>> SubmitJobAsync(FleetApp app, int units)
    {
        var buyer = await new MarketplaceBuilder(app).BuyerWithBalanceAsync(1_000_000_000_00);
        var random = new Random(20261124);
        var values = new float[units * ReferenceModel.InputWidth];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (random.Next(-64, 64) / 16f) + (i / (float)values.Length);
        }

        var inputs = NpyArray.FromFloats(values, units, ReferenceModel.InputWidth);
        // Unchecked, to measure the dispatch path itself: under adaptive verification, every result of these new
        // devices is run twice and compared, which is verification's cost, not dispatch's (docs/benchmarks.md).
        var jobId = await app.InScopeAsync(services => services.GetRequiredService<JobService>().SubmitAsync(buyer.Id,
            new JobSubmission("Load test", ReferenceModel.Build(), "inputs.npy", Npy.ToBytes(inputs), RowsPerUnit: 1,
                Verification: VerificationPolicy.Unchecked)));

        var slices = await app.QueryAsync(db => db.WorkUnits.AsNoTracking().Where(u => u.JobId == jobId)
            .Select(u => new { u.InputSha256, u.RowStart, u.RowCount })
            .ToListAsync());
        return slices.ToDictionary(
            slice => slice.InputSha256,
            slice =>
            {
                var npz = Npz.ToBytes(new Dictionary<string, NpyArray>
                {
                    [ReferenceModel.OutputName] = ReferenceModel.Compute(inputs.SliceRows(slice.RowStart, slice.RowCount)),
                });
                return new UnitOutputs(npz, new UploadedOutputs(Web.Blobs.ContentHash.Of(npz), npz.Length));
            });
    }

    /// <summary>How many units are still waiting for a device: zero means the queue ran dry and the figures are low.</summary>
    public Task<int> QueuedUnitsAsync() =>
        App.QueryAsync(db => db.WorkUnits.CountAsync(u => u.Status == Domain.Jobs.WorkUnitStatus.Queued));

    /// <summary>SQLite's plan for a statement the app ran (parameters left unbound, which EXPLAIN allows).</summary>
    public Task<IReadOnlyList<string>> ExplainAsync(string sql) => App.QueryAsync<IReadOnlyList<string>>(async db =>
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        await using var reader = await command.ExecuteReaderAsync();
        var plan = new List<string>();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    });

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
