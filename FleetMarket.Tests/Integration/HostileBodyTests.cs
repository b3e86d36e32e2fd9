using System.Net.Http.Json;
using FleetMarket.Protocol;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Balance;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>
/// Issue 13's unbounded strings and values, endpoint by endpoint: each hostile body, query or form is refused
/// at the edge with a 400 validation problem naming the field, and changes nothing.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class HostileBodyTests(HostileBodyTests.Marketplace market) : IClassFixture<HostileBodyTests.Marketplace>
{
    private static readonly string Huge = new('x', 100_000);

    /// <summary>A hostile request, who sends it, and the field the problem must name.</summary>
    public sealed record Case(string Field, Func<Marketplace, Task<(Func<Task<object>> State, Func<Task<HttpResponseMessage>> Send)>> Arrange);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["heartbeat: 100,000-character execution provider"] = Device("ExecutionProvider", WorkerRoutes.Heartbeat,
            new { conditions = Idle(), executionProvider = Huge }),
        ["heartbeat: control characters in the execution provider"] = Device("ExecutionProvider", WorkerRoutes.Heartbeat,
            new { conditions = Idle(), executionProvider = "CPU\u001b[2J" }),
        ["heartbeat: battery at -5 %"] = Device("Conditions.BatteryPercent", WorkerRoutes.Heartbeat,
            new { conditions = Idle(battery: -5), executionProvider = "CPU" }),
        ["heartbeat: battery at 1,000 %"] = Device("Conditions.BatteryPercent", WorkerRoutes.Heartbeat,
            new { conditions = Idle(battery: 1000), executionProvider = "CPU" }),
        ["heartbeat: 10,000 °C"] = Device("Conditions.TemperatureCelsius", WorkerRoutes.Heartbeat,
            new { conditions = new { isIdle = true, temperatureCelsius = 10_000.0 }, executionProvider = "CPU" }),
        ["lease: battery at 1,000 %"] = Device("Conditions.BatteryPercent", WorkerRoutes.Lease, new { conditions = Idle(battery: 1000) }),
        ["capabilities: 100,000-character worker version"] = Device("WorkerVersion", WorkerRoutes.Capabilities,
            Capabilities(workerVersion: Huge)),
        ["capabilities: 100,000-character execution provider"] = Device("ExecutionProvider", WorkerRoutes.Capabilities,
            Capabilities(executionProvider: Huge)),
        ["capabilities: 10,000 providers"] = Device("AvailableProviders", WorkerRoutes.Capabilities,
            Capabilities(providers: Enumerable.Range(0, 10_000).Select(i => $"EP{i}").ToArray())),
        ["capabilities: a provider name with a comma"] = Device("AvailableProviders", WorkerRoutes.Capabilities,
            Capabilities(providers: ["CPU,CUDA"])),
        ["capabilities: benchmark score 1e308"] = Device("BenchmarkInferencesPerSecond", WorkerRoutes.Capabilities,
            Capabilities(score: 1e308)),
        ["capabilities: negative benchmark score"] = Device("BenchmarkInferencesPerSecond", WorkerRoutes.Capabilities,
            Capabilities(score: -1)),
        ["complete: negative compute time"] = new("computeMilliseconds", async m =>
        {
            var (state, client) = await m.DeviceAsync();
            return (state, () => client.PostAsync(WorkerRoutes.Complete(Guid.NewGuid()), new MultipartFormDataContent
            {
                { new ByteArrayContent([1]), WorkerRoutes.OutputsField, "outputs.npz" },
                { new StringContent("-1"), WorkerRoutes.ComputeMillisecondsField },
                { new StringContent("1"), WorkerRoutes.InferenceCountField },
            }));
        }),
        ["pair: 100,000-character code"] = new("Code", async m =>
        {
            var client = m.App.NewClient();
            return (m.DeviceCountAsync, () => client.PostAsJsonAsync(WorkerRoutes.Pair, new { code = Huge }));
        }),
        ["pair: 100,000-character worker version"] = new("WorkerVersion", async m =>
        {
            var client = m.App.NewClient();
            return (m.DeviceCountAsync, () => client.PostAsJsonAsync(WorkerRoutes.Pair, new { code = "ABCD-1234", workerVersion = Huge }));
        }),
        ["job: 1,000,000-character name"] = Job("name", new string('n', 1_000_000)),
        ["job: control characters in the name"] = Job("name", "quarterly\r\nrun"),
        ["job: a bidirectional override in the name"] = Job("name", "invoice\u202Egpj.exe"),
        ["reservation: 100,000-character name"] = Reservation("Name", Booking(name: Huge)),
        ["reservation: control characters in the name"] = Reservation("Name", Booking(name: "batch\u0000night")),
        ["reservation: windowStart omitted"] = Reservation("WindowStart", new
        {
            deviceHours = 1,
            windowEnd = DateTimeOffset.UtcNow.AddHours(3),
            requirements = new { maxPricePerHourMinor = 500 },
        }),
        ["reservation: windowStart in year 0001"] = Reservation("WindowStart", Booking(start: DateTimeOffset.MinValue)),
        ["reservation: 10,000-character region"] = Reservation("Requirements.Region",
            Booking(requirements: new { maxPricePerHourMinor = 500, region = new string('r', 10_000) })),
        ["reservation: minimum score 1e308"] = Reservation("Requirements.MinimumScore",
            Booking(requirements: new { maxPricePerHourMinor = 500, minimumScore = 1e308 })),
        ["capacity: 1,000-character execution provider"] = Capacity("executionProvider", $"executionProvider={new string('e', 1_000)}"),
        ["capacity: minimum score 1e308"] = Capacity("minimumScore", "minimumScore=1e308"),
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task HostileInput_IsRefusedWithAProblemNamingTheField_AndChangesNothing(string name)
    {
        var @case = Cases[name];
        var (state, send) = await @case.Arrange(market);
        var before = await state();

        using var response = await send();

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.BadRequest, $"{name}: expected 400, got {(int)response.StatusCode}: {Clip(body)}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = System.Text.Json.JsonSerializer.Deserialize<HttpValidationProblemDetails>(body, System.Text.Json.JsonSerializerOptions.Web);
        Assert.True(problem?.Errors.ContainsKey(@case.Field) == true, $"{name}: expected an error for {@case.Field}, got: {Clip(body)}");
        Assert.Equal(before, await state());
    }

    private static string Clip(string text) => text.Length > 600 ? text[..600] + "…" : text;

    private static object Idle(int? battery = null) => new { isIdle = true, isCharging = true, batteryPercent = battery };

    private static object Capabilities(string[]? providers = null, string executionProvider = "CPU", double score = 500,
        string workerVersion = "1.0.0") =>
        new { availableProviders = providers ?? ["CPU"], executionProvider, benchmarkInferencesPerSecond = score, workerVersion, operatingSystem = "Linux" };

    private static object Booking(string? name = null, DateTimeOffset? start = null, object? requirements = null) => new
    {
        deviceHours = 1,
        windowStart = start ?? DateTimeOffset.UtcNow.AddHours(1),
        windowEnd = DateTimeOffset.UtcNow.AddHours(3),
        requirements = requirements ?? new { maxPricePerHourMinor = 500 },
        name,
    };

    private static Case Device(string field, string route, object body) => new(field, async m =>
    {
        var (state, client) = await m.DeviceAsync();
        return (state, () => client.PostAsJsonAsync(route, body));
    });

    private static Case Job(string field, string name) => new(field, async m =>
    {
        var (state, client) = await m.BuyerAsync();
        return (state, () => client.PostAsync("/api/jobs", new MultipartFormDataContent
        {
            { new ByteArrayContent(Worker.Inference.ReferenceModel.Build()), "model", "model.onnx" },
            { new ByteArrayContent(Protocol.Tensors.Npy.ToBytes(MarketplaceBuilder.SampleInputs(4))), "inputs", "inputs.npy" },
            { new StringContent(name), "name" },
        }));
    });

    private static Case Reservation(string field, object body) => new(field, async m =>
    {
        var (state, client) = await m.BuyerAsync();
        return (state, () => client.PostAsJsonAsync("/api/reservations", body));
    });

    private static Case Capacity(string field, string query) => new(field, async m =>
    {
        var (state, client) = await m.BuyerAsync();
        return (state, () => client.GetAsync($"/api/capacity?{query}"));
    });

    /// <summary>One marketplace for every case; each case pairs its own device or signs in its own buyer.</summary>
    public sealed class Marketplace : IAsyncLifetime
    {
        private readonly MarketplaceBuilder _build;

        public Marketplace()
        {
            App = new FleetApp(new() { ["Marketplace:PairingAttemptsPerMinute"] = "1000" });
            _build = new MarketplaceBuilder(App);
        }

        public FleetApp App { get; }

        public Task<object> DeviceCountAsync() => App.QueryAsync<object>(async db => await db.Devices.CountAsync());

        /// <summary>A paired device's client, and everything a device's reports could change.</summary>
        public async Task<(Func<Task<object>> State, HttpClient Client)> DeviceAsync()
        {
            var device = await _build.PairedDeviceAsync();
            return (() => App.QueryAsync<object>(async db => await db.Devices.Where(d => d.Id == device.DeviceId)
                    .Select(d => new { d.Status, d.LastSeenAt, d.ExecutionProvider, d.AvailableProviders, d.BenchmarkScore, d.WorkerVersion })
                    .SingleAsync()),
                _build.DeviceClient(device));
        }

        /// <summary>A signed-in buyer's client, and their jobs, reservations and balance.</summary>
        public async Task<(Func<Task<object>> State, HttpClient Client)> BuyerAsync()
        {
            var buyer = await _build.BuyerWithBalanceAsync(10_00);
            return (async () => (await App.QueryAsync(async db => (await db.Jobs.CountAsync(j => j.BuyerId == buyer.Id),
                        await db.Reservations.CountAsync(r => r.BuyerId == buyer.Id))),
                    await App.InScopeAsync(services => services.GetRequiredService<BalanceService>().GetAsync(buyer.Id))),
                await TestUsers.SignedInClientAsync(App, buyer));
        }

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await App.DisposeAsync();
    }
}
