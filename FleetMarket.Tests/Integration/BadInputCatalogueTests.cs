using System.Net.Http.Json;
using FleetMarket.Domain;
using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Money;
using FleetMarket.Domain.Reservations;
using FleetMarket.Protocol;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Balance;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Features.Payments;
using FleetMarket.Worker.Inference;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>
/// The one place that lists the bad inputs the marketplace must refuse: each is answered with a 4xx whose
/// ProblemDetails says what is wrong (or, where no HTTP route exists, the service's message that the page
/// shows), and changes nothing. Some cases repeat a test elsewhere on purpose, briefly, so the list is whole.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class BadInputCatalogueTests(BadInputCatalogueTests.Marketplace market) : IClassFixture<BadInputCatalogueTests.Marketplace>
{
    private const int MaxModelBytes = 16 * 1024;
    private const int MaxInputBytes = 16 * 1024;
    private const int MaxOutputBytes = 8 * 1024;

    /// <summary>What a bad input must get: an HTTP status (null: refused by the service, for inputs with no HTTP route) and words of its detail.</summary>
    internal sealed record Expected(int? Status, string? Detail);

    internal sealed record Outcome(int? Status, string? Detail, string Body);

    /// <summary>A case, set up: what it counts before and after, and the bad call.</summary>
    internal sealed record Attempt(Func<Task<object>> State, Func<Task<Outcome>> Send, Expected Expected);

    private static readonly Dictionary<string, Func<Marketplace, Task<Attempt>>> Catalogue = new()
    {
        ["malformed ONNX model"] = m => m.JobAsync(JobForm("not a model"u8.ToArray()), new(400, "could not be loaded by ONNX Runtime: the file is not an ONNX model")),
        ["model whose input shape does not match the inputs"] = m =>
            m.JobAsync(JobForm(inputs: Npy.ToBytes(NpyArray.FromFloats(new float[10 * 5], 10, 5))), new(400, "has shape [10, 5]")),
        ["model over Marketplace:MaxModelBytes"] = m => m.JobAsync(JobForm(new byte[MaxModelBytes + 1]), new(400, "between 1 byte and 16,384 bytes")),
        ["inputs over Marketplace:MaxInputBytes"] = m =>
            m.JobAsync(JobForm(inputs: new byte[MaxInputBytes + 1]), new(400, "between 1 byte and 16,384 bytes")),
        ["job whose units' outputs exceed Marketplace:MaxOutputBytes"] = m => m.JobAsync(
            JobForm(inputs: Npy.ToBytes(MarketplaceBuilder.SampleInputs(1000)), fields: new() { ["rowsPerUnit"] = "1000" }),
            new(400, "A work unit of 1,000 rows would return at least 12,128 bytes of outputs (scores: <f4 [?, 3]); a device may return at most 8,192 bytes. Choose fewer rows per unit.")),
        ["truncated NPY inputs"] = m => m.JobAsync(JobForm(inputs: SampleInputs()[..^7]), new(400, "is not valid NumPy data")),
        ["job with rowsPerUnit=0"] = m => m.JobAsync(JobForm(fields: new() { ["rowsPerUnit"] = "0" }), new(400, "Rows per unit must be above zero")),
        ["job offering an absurd price"] = m =>
            m.JobAsync(JobForm(fields: new() { ["maxPricePerHourMinor"] = $"{long.MaxValue}" }), new(400, "can be at most 1,000.00")),
        ["reservation in the past"] = m =>
            m.ReservationAsync(DateTimeOffset.UtcNow.AddDays(-1), 500, new(400, "in the past")),
        ["reservation offering an absurd price"] = m =>
            m.ReservationAsync(DateTimeOffset.UtcNow.AddHours(1), long.MaxValue, new(400, "can be at most 1,000.00")),
        ["webhook with a forged signature"] = m =>
            m.WebhookAsync(payload => StripeStub.Sign(payload, secret: "whsec_forged"), new(400, "signature does not verify")),
        ["webhook with no signature"] = m => m.WebhookAsync(_ => null, new(400, "no Stripe-Signature header")),
        ["webhook replayed later (signature too old)"] = m =>
            m.WebhookAsync(payload => StripeStub.Sign(payload, at: DateTimeOffset.UtcNow.AddHours(-1)), new(400, "signature does not verify")),
        ["webhook replayed (the same event again)"] = m => m.WebhookAsync(payload => StripeStub.Sign(payload), new(200, null), deliveredBefore: true),
        ["pairing code used a second time"] = m => m.PairingReplayAsync(),
        ["completing another device's lease"] = m => m.OtherDevicesLeaseAsync(complete: true),
        ["releasing another device's lease"] = m => m.OtherDevicesLeaseAsync(complete: false),
        ["heartbeat without the device's conditions"] = m =>
            m.DeviceReportAsync(WorkerRoutes.Heartbeat, new { executionProvider = "CPU" }, new(400, "reports the device's conditions")),
        ["capabilities without the execution providers"] = m => m.DeviceReportAsync(WorkerRoutes.Capabilities,
            new { executionProvider = "CPU", benchmarkInferencesPerSecond = 10, workerVersion = "1.0.0", operatingSystem = "Linux" },
            new(400, "Capabilities name the available execution providers")),
        ["device added with a negative price (Devices page, DeviceService)"] = m =>
            m.DevicePriceAsync(-100, edit: false, new(null, "must be above zero")),
        ["device re-priced absurdly (Devices page, DeviceService)"] = m =>
            m.DevicePriceAsync(long.MaxValue, edit: true, new(null, "can be at most 1,000.00")),
    };

    public static TheoryData<string> Cases => new(Catalogue.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_IsRefusedWithAClearProblem_AndChangesNothing(string name)
    {
        var attempt = await Catalogue[name](market);
        var before = await attempt.State();

        var outcome = await attempt.Send();

        var after = await attempt.State();
        Assert.True(outcome.Status == attempt.Expected.Status,
            $"{name}: expected {attempt.Expected.Status?.ToString() ?? "a DomainException"}, got {outcome.Status?.ToString() ?? "a DomainException"}: {outcome.Body}");
        if (attempt.Expected.Detail is { } detail)
        {
            Assert.True(outcome.Detail?.Contains(detail, StringComparison.Ordinal) == true,
                $"{name}: expected a detail saying \"{detail}\", got: {outcome.Body}");
        }

        Assert.Equal(before, after);
    }

    private static byte[] SampleInputs() => Npy.ToBytes(MarketplaceBuilder.SampleInputs(10));

    private static MultipartFormDataContent JobForm(byte[]? model = null, byte[]? inputs = null, Dictionary<string, string>? fields = null)
    {
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(model ?? ReferenceModel.Build()), "model", "model.onnx" },
            { new ByteArrayContent(inputs ?? SampleInputs()), "inputs", "inputs.npy" },
        };
        foreach (var (field, value) in fields ?? [])
        {
            form.Add(new StringContent(value), field);
        }

        return form;
    }

    private static async Task<Outcome> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            var detail = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                ? (await response.Content.ReadFromJsonAsync<ProblemDetails>())?.Detail
                : null;
            return new Outcome((int)response.StatusCode, detail, $"{(int)response.StatusCode} {body}");
        }
    }

    /// <summary>One marketplace for the catalogue, with small upload limits and a webhook secret; each case sets up its own users and devices.</summary>
    public sealed class Marketplace : IAsyncLifetime
    {
        private readonly MarketplaceBuilder _build;

        public Marketplace()
        {
            App = new FleetApp(new()
            {
                ["Marketplace:PairingAttemptsPerMinute"] = "1000",
                ["Marketplace:MaxModelBytes"] = $"{MaxModelBytes}",
                ["Marketplace:MaxInputBytes"] = $"{MaxInputBytes}",
                ["Marketplace:MaxOutputBytes"] = $"{MaxOutputBytes}",
                ["Stripe:WebhookSecret"] = StripeStub.WebhookSecret,
            });
            _build = new MarketplaceBuilder(App);
        }

        public FleetApp App { get; }

        /// <summary>A job submitted by a buyer over the API: nothing is queued, held or stored.</summary>
        internal async Task<Attempt> JobAsync(MultipartFormDataContent form, Expected expected)
        {
            var (buyer, client) = await BuyerAsync();
            var blobs = App.Services.GetRequiredService<DataFolder>().File("blobs");
            return new Attempt(
                async () => (await App.QueryAsync(db => db.Jobs.CountAsync(j => j.BuyerId == buyer.Id)), await BalanceAsync(buyer),
                    Directory.Exists(blobs) ? Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories).Count() : 0),
                async () => await ReadAsync(await client.PostAsync("/api/jobs", form)), expected);
        }

        internal async Task<Attempt> ReservationAsync(DateTimeOffset windowStart, long maxPricePerHourMinor, Expected expected)
        {
            var (buyer, client) = await BuyerAsync();
            var request = new ReservationRequest(1, windowStart, windowStart.AddHours(2), new CapacityRequirements(MaxPricePerHourMinor: maxPricePerHourMinor));
            return new Attempt(
                async () => (await App.QueryAsync(db => db.Reservations.CountAsync(r => r.BuyerId == buyer.Id)), await BalanceAsync(buyer)),
                async () => await ReadAsync(await client.PostAsJsonAsync("/api/reservations", request)), expected);
        }

        /// <summary>A paid top-up's <c>checkout.session.completed</c>, signed by <paramref name="sign"/> (null: no signature header).</summary>
        internal async Task<Attempt> WebhookAsync(Func<string, string?> sign, Expected expected, bool deliveredBefore = false)
        {
            var buyer = await TestUsers.CreateAsync(App, Roles.Buyer);
            var payload = StripeStub.CheckoutCompletedEvent($"evt_{Guid.NewGuid():N}", $"cs_test_{Guid.NewGuid():N}", buyer.Id, 25_00, "paid");
            var client = App.NewClient();
            if (deliveredBefore)
            {
                (await StripeStub.PostWebhookAsync(client, payload)).EnsureSuccessStatusCode();
            }

            return new Attempt(
                async () => (await BalanceAsync(buyer), await App.QueryAsync(db => db.Set<ProcessedStripeEvent>().CountAsync())),
                async () =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, StripeWebhookApi.Route)
                    {
                        Content = new StringContent(payload, System.Text.Encoding.UTF8, "application/json"),
                    };
                    if (sign(payload) is { } signature)
                    {
                        request.Headers.Add("Stripe-Signature", signature);
                    }

                    return await ReadAsync(await client.SendAsync(request));
                }, expected);
        }

        internal async Task<Attempt> PairingReplayAsync()
        {
            var (_, code) = await _build.DeviceAwaitingPairingAsync();
            var client = App.NewClient();
            (await client.PostAsJsonAsync(WorkerRoutes.Pair, new PairRequest(code.Code))).EnsureSuccessStatusCode();
            return new Attempt(
                async () => await App.QueryAsync(async db => (await db.Devices.CountAsync(),
                    await db.Devices.Where(d => d.Id == code.DeviceId).Select(d => new { d.CredentialHash, d.PairingCodeHash, d.Status }).SingleAsync())),
                async () => await ReadAsync(await client.PostAsJsonAsync(WorkerRoutes.Pair, new PairRequest(code.Code))),
                new(400, "invalid or has expired"));
        }

        /// <summary>Device B, with correct outputs in hand, completes or releases the lease device A holds: A's unit stays as it was.</summary>
        internal async Task<Attempt> OtherDevicesLeaseAsync(bool complete)
        {
            var region = $"catalogue-{Guid.NewGuid():N}";
            var a = await _build.PairedDeviceAsync(region: region);
            var b = await _build.PairedDeviceAsync(region: region);
            await _build.SubmitSampleJobAsync(await _build.BuyerWithBalanceAsync(), rows: 4, rowsPerUnit: 4);
            using var deviceA = _build.DeviceClient(a);
            var lease = await MarketplaceBuilder.LeaseAsync(deviceA) ?? throw new InvalidOperationException("Device A was offered no unit.");
            var outputs = await MarketplaceBuilder.HonestOutputsAsync(deviceA, lease);
            var deviceB = _build.DeviceClient(b);
            return new Attempt(
                async () => await App.QueryAsync(async db => (await db.UsageRecords.CountAsync(u => u.WorkUnitId == lease.WorkUnitId),
                    await db.WorkUnits.Where(u => u.Id == lease.WorkUnitId).Select(u => new { u.Status, u.LeaseId, u.DeviceId, u.LeaseExpiresAt }).SingleAsync())),
                async () => await ReadAsync(complete
                    ? await MarketplaceBuilder.UploadAsync(deviceB, lease.LeaseId, outputs)
                    : await deviceB.PostAsync(WorkerRoutes.Release(lease.LeaseId), null)),
                new(404, "No such lease for this device"));
        }

        internal async Task<Attempt> DeviceReportAsync(string route, object body, Expected expected)
        {
            var device = await _build.PairedDeviceAsync();
            var client = _build.DeviceClient(device);
            return new Attempt(
                async () => await App.QueryAsync(db => db.Devices.Where(d => d.Id == device.DeviceId)
                    .Select(d => new { d.Status, d.LastSeenAt, d.ExecutionProvider, d.AvailableProviders, d.BenchmarkScore, d.WorkerVersion }).SingleAsync()),
                async () => await ReadAsync(await client.PostAsJsonAsync(route, body)), expected);
        }

        /// <summary>The owner's Devices page adds and edits devices through <see cref="DeviceService"/>; there is no device HTTP API.</summary>
        internal async Task<Attempt> DevicePriceAsync(long askingPricePerHourMinor, bool edit, Expected expected)
        {
            var (owner, code) = await _build.DeviceAwaitingPairingAsync();
            var input = new NewDevice("Priced car", DeviceKind.Car, "HW4", 16_384, "us-west", new Money(askingPricePerHourMinor, "USD"));
            return new Attempt(
                async () => string.Join(", ", await App.QueryAsync(db => db.Devices.Where(d => d.OwnerId == owner.Id)
                    .Select(d => $"{d.Name} {d.AskingPricePerHourMinor}").ToListAsync())),
                () => Devices(devices => edit ? devices.EditAsync(owner.Id, code.DeviceId, input) : devices.AddAsync(owner.Id, input)),
                expected);
        }

        private async Task<Outcome> Devices(Func<DeviceService, Task> call)
        {
            try
            {
                await App.InScopeAsync(services => call(services.GetRequiredService<DeviceService>()));
                return new Outcome(200, null, "accepted");
            }
            catch (DomainException refused)
            {
                return new Outcome(null, refused.Message, refused.Message);
            }
        }

        private async Task<(TestUser Buyer, HttpClient Client)> BuyerAsync()
        {
            var buyer = await _build.BuyerWithBalanceAsync(10_00);
            return (buyer, await TestUsers.SignedInClientAsync(App, buyer));
        }

        private Task<BuyerBalance> BalanceAsync(TestUser buyer) =>
            App.InScopeAsync(async services => BuyerBalance.From(await services.GetRequiredService<BalanceService>().GetAsync(buyer.Id)));

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await App.DisposeAsync();
    }
}
