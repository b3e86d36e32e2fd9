using System.Text.Json;
using System.Text.Json.Serialization;
using FleetMarket.Protocol;
using FleetMarket.Protocol.Availability;

namespace FleetMarket.Tests.Unit.Protocol;

/// <summary>
/// The worker protocol's JSON as installed workers read and write it. A change here breaks devices in the field:
/// add fields with defaults, never rename or remove one.
/// </summary>
public sealed class WireContractTests
{
    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly DateTimeOffset At = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The server's JSON: the web defaults and enums by name, as the buyer API writes them.</summary>
    private static readonly JsonSerializerOptions Server = new(JsonSerializerOptions.Web) { Converters = { new JsonStringEnumConverter() } };

    public static TheoryData<object, string> Messages => new()
    {
        {
            new LeaseRequest(new DeviceConditions(IsIdle: true, IsCharging: true, BatteryPercent: 80, TemperatureCelsius: 41.5), WaitSeconds: 25, MaxUnits: 8),
            """{"conditions":{"isIdle":true,"isCharging":true,"batteryPercent":80,"temperatureCelsius":41.5},"waitSeconds":25,"maxUnits":8}"""
        },
        {
            new LeaseBatch([new WorkUnitLease(A, B, A, "model-sha", "input-sha", 4, At, LeaseSeconds: 60)]),
            """{"leases":[{"leaseId":"00000000-0000-0000-0000-00000000000a","workUnitId":"00000000-0000-0000-0000-00000000000b","jobId":"00000000-0000-0000-0000-00000000000a","modelSha256":"model-sha","inputSha256":"input-sha","rowCount":4,"expiresAt":"2026-12-07T09:00:00+00:00","leaseSeconds":60}]}"""
        },
        { new UnitCompletion(A, 120, 4), """{"leaseId":"00000000-0000-0000-0000-00000000000a","computeMilliseconds":120,"inferenceCount":4}""" },
        {
            new BatchCompletionResponse([new LeaseCompletionResponse(A, false, "bad", Refused: true)]),
            """{"results":[{"leaseId":"00000000-0000-0000-0000-00000000000a","accepted":false,"reason":"bad","refused":true}]}"""
        },
        {
            new WorkUnitLease(A, B, A, "model-sha", "input-sha", 4, At, LeaseSeconds: 60),
            """{"leaseId":"00000000-0000-0000-0000-00000000000a","workUnitId":"00000000-0000-0000-0000-00000000000b","jobId":"00000000-0000-0000-0000-00000000000a","modelSha256":"model-sha","inputSha256":"input-sha","rowCount":4,"expiresAt":"2026-12-07T09:00:00+00:00","leaseSeconds":60}"""
        },
        {
            // Direct transfers are additions: a lease without them reads as before.
            new UnitCompletion(A, 120, 4, new UploadedOutputs("0123456789abcdef", 1_024)),
            """{"leaseId":"00000000-0000-0000-0000-00000000000a","computeMilliseconds":120,"inferenceCount":4,"uploaded":{"sha256":"0123456789abcdef","bytes":1024}}"""
        },
        {
            new LeaseRenewal(A, At, new BlobTransfer(new Uri("https://s.test/m?sig=1"), new Uri("https://s.test/i?sig=2"), new Uri("https://s.test/o?sig=3"), At, 4_096)),
            """{"leaseId":"00000000-0000-0000-0000-00000000000a","expiresAt":"2026-12-07T09:00:00+00:00","transfer":{"modelUrl":"https://s.test/m?sig=1","inputUrl":"https://s.test/i?sig=2","outputsUrl":"https://s.test/o?sig=3","expiresAt":"2026-12-07T09:00:00+00:00","maxOutputBytes":4096}}"""
        },
        { new LeaseRenewal(A, At), """{"leaseId":"00000000-0000-0000-0000-00000000000a","expiresAt":"2026-12-07T09:00:00+00:00"}""" },
        { new ReleaseHeldRequest([A]), """{"keep":["00000000-0000-0000-0000-00000000000a"]}""" },
        { new ReleaseHeldResponse(2), """{"released":2}""" },
        { new CompletionResponse(false, "late"), """{"accepted":false,"reason":"late"}""" },
        { new PairRequest("ABCD-1234", "1.0.0"), """{"code":"ABCD-1234","workerVersion":"1.0.0"}""" },
        { new PairResponse(A, "car", "secret"), """{"deviceId":"00000000-0000-0000-0000-00000000000a","deviceName":"car","credential":"secret"}""" },
        {
            // Days stay numbers (0 = Sunday) although the API names other enums: workers in the field read numbers.
            new HeartbeatResponse(true, 30, Policy: new AvailabilityPolicy("Europe/Oslo", [new WeeklyWindow(DayOfWeek.Monday, new TimeOnly(22, 0), new TimeOnly(6, 0))],
                true, 40, [new Departure(DayOfWeek.Friday, new TimeOnly(7, 30))], 45)),
            """{"shouldWork":true,"nextHeartbeatSeconds":30,"reason":null,"policy":{"timeZoneId":"Europe/Oslo","windows":[{"day":1,"start":"22:00:00","end":"06:00:00"}],"onlyWhileCharging":true,"minimumBatteryPercent":40,"departures":[{"day":5,"at":"07:30:00"}],"maximumTemperatureCelsius":45},"leaseDuration":null}"""
        },
        {
            new DeviceCapabilities(["CPU"], "CPU", 1_000, "1.0.0", "Linux"),
            """{"availableProviders":["CPU"],"executionProvider":"CPU","benchmarkInferencesPerSecond":1000,"workerVersion":"1.0.0","operatingSystem":"Linux"}"""
        },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Message_SerialisesAsInstalledWorkersExpect(object message, string json) =>
        Assert.Equal(json, JsonSerializer.Serialize(message, message.GetType(), Server));

    [Fact]
    public void LeaseFromAServerBeforeRenewal_StillReads()
    {
        var lease = JsonSerializer.Deserialize<WorkUnitLease>(
            """{"leaseId":"00000000-0000-0000-0000-00000000000a","workUnitId":"00000000-0000-0000-0000-00000000000b","jobId":"00000000-0000-0000-0000-00000000000a","modelSha256":"m","inputSha256":"i","rowCount":4,"expiresAt":"2026-12-07T09:00:00+00:00"}""",
            JsonSerializerOptions.Web)!;

        Assert.Null(lease.LeaseSeconds);
        Assert.Equal(4, lease.RowCount);
    }

    [Fact]
    public void Routes_AreWhereInstalledWorkersCallThem()
    {
        Assert.Equal("/api/worker/lease", WorkerRoutes.Lease);
        Assert.Equal("/api/worker/heartbeat", WorkerRoutes.Heartbeat);
        Assert.Equal($"/api/worker/leases/{A}/complete", WorkerRoutes.Complete(A));
        Assert.Equal($"/api/worker/leases/{A}/renew", WorkerRoutes.Renew(A));
        Assert.Equal("/api/worker/leases/release-held", WorkerRoutes.ReleaseHeld);
        Assert.Equal("/api/worker/leases", WorkerRoutes.Leases);
        Assert.Equal("/api/worker/leases/complete", WorkerRoutes.CompleteMany);
        Assert.Equal("completions", WorkerRoutes.CompletionsField);
        Assert.Equal(("outputs", "computeMilliseconds", "inferenceCount"),
            (WorkerRoutes.OutputsField, WorkerRoutes.ComputeMillisecondsField, WorkerRoutes.InferenceCountField));
    }
}
