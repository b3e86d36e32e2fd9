using System.Net.Http.Headers;
using System.Net.Http.Json;
using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Money;
using FleetMarket.Domain.Verification;
using FleetMarket.Protocol;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Web.Features.Balance;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Worker.Inference;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ContentHash = FleetMarket.Web.Blobs.ContentHash;

namespace FleetMarket.Tests.Builders;

public sealed record PairedDevice(TestUser Owner, Guid DeviceId, string Credential);

/// <summary>Puts a marketplace into a known state through the app's own services and protocol.</summary>
public sealed class MarketplaceBuilder(FleetApp app)
{
    public async Task<(TestUser Owner, PairingCode Code)> DeviceAwaitingPairingAsync(long askingPricePerHourMinor = 120,
        string region = "us-west")
    {
        var owner = await TestUsers.CreateAsync(app, Roles.Owner);
        var code = await app.InScopeAsync(services => services.GetRequiredService<DeviceService>().AddAsync(owner.Id,
            new NewDevice("Test car", DeviceKind.Car, "HW4", 16_384, region, new Money(askingPricePerHourMinor, "USD"))));
        return (owner, code);
    }

    /// <summary>A device paired over the worker protocol; give it a region of its own to keep it apart from other tests' devices.</summary>
    public async Task<PairedDevice> PairedDeviceAsync(long askingPricePerHourMinor = 120, string region = "us-west")
    {
        var (owner, code) = await DeviceAwaitingPairingAsync(askingPricePerHourMinor, region);
        return await PairAsync(owner, code);
    }

    /// <summary>A paired device whose worker has reported what it runs on and its benchmark score, as it does on start.</summary>
    public async Task<PairedDevice> BenchmarkedDeviceAsync(NewDevice device, string executionProvider, double benchmarkScore)
    {
        var owner = await TestUsers.CreateAsync(app, Roles.Owner);
        var code = await app.InScopeAsync(services => services.GetRequiredService<DeviceService>().AddAsync(owner.Id, device));
        var paired = await PairAsync(owner, code);
        using var client = DeviceClient(paired);
        var capabilities = new DeviceCapabilities([executionProvider, "CPU"], executionProvider, benchmarkScore, "1.0.0", "Linux");
        (await client.PostAsJsonAsync(WorkerRoutes.Capabilities, capabilities)).EnsureSuccessStatusCode();
        return paired;
    }

    /// <summary>A further paired device of an owner who already has one.</summary>
    public async Task<PairedDevice> PairedDeviceOfAsync(TestUser owner, long askingPricePerHourMinor = 120, string region = "us-west")
    {
        var code = await app.InScopeAsync(services => services.GetRequiredService<DeviceService>().AddAsync(owner.Id,
            new NewDevice("Second car", DeviceKind.Car, "HW4", 16_384, region, new Money(askingPricePerHourMinor, "USD"))));
        return await PairAsync(owner, code);
    }

    /// <summary>Gives a device a track record straight in the database, as the verifier's counting would have left it.</summary>
    public Task SetReliabilityRecordAsync(Guid deviceId, int valid, int invalid, int timedOut = 0, int validStreak = 0) =>
        app.QueryAsync(db => db.Devices.Where(d => d.Id == deviceId).ExecuteUpdateAsync(set => set
            .SetProperty(d => d.ValidResults, valid)
            .SetProperty(d => d.InvalidResults, invalid)
            .SetProperty(d => d.TimedOutResults, timedOut)
            .SetProperty(d => d.ValidStreak, validStreak)));

    private async Task<PairedDevice> PairAsync(TestUser owner, PairingCode code)
    {
        using var client = app.NewClient();
        var response = await client.PostAsJsonAsync(WorkerRoutes.Pair, new PairRequest(code.Code));
        response.EnsureSuccessStatusCode();
        var paired = (await response.Content.ReadFromJsonAsync<PairResponse>())!;
        return new PairedDevice(owner, paired.DeviceId, paired.Credential);
    }

    public HttpClient DeviceClient(PairedDevice device)
    {
        var client = app.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", device.Credential);
        return client;
    }

    public async Task<TestUser> BuyerWithBalanceAsync(long balanceMinor = 100_00)
    {
        var buyer = await TestUsers.CreateAsync(app, Roles.Buyer);
        if (balanceMinor > 0)
        {
            await app.InScopeAsync(services => services.GetRequiredService<BalanceService>().SimulateTopUpAsync(buyer.Id, new Money(balanceMinor, "USD")));
        }

        return buyer;
    }

    public static NpyArray SampleInputs(int rows) => ReferenceModel.SampleInputs(rows);

    /// <summary>
    /// A job of the reference model. Unchecked unless a policy is given: most tests run one device, and one
    /// device cannot cross-check itself (the verification tests bring several owners).
    /// </summary>
    public Task<Guid> SubmitSampleJobAsync(TestUser buyer, int rows = 10, int rowsPerUnit = 4, VerificationPolicy? verification = null) =>
        app.InScopeAsync(services => services.GetRequiredService<JobService>().SubmitAsync(buyer.Id,
            new JobSubmission("Sample", ReferenceModel.Build(), "inputs.npy", Npy.ToBytes(SampleInputs(rows)), rowsPerUnit,
                Verification: verification ?? VerificationPolicy.Unchecked)));

    public static async Task<WorkUnitLease?> LeaseAsync(HttpClient device)
    {
        var response = await device.PostAsJsonAsync(WorkerRoutes.Lease, new { });
        response.EnsureSuccessStatusCode();
        return response.StatusCode == System.Net.HttpStatusCode.NoContent
            ? null
            : await response.Content.ReadFromJsonAsync<WorkUnitLease>();
    }

    /// <summary>Works honestly through every unit the device is offered, as a worker would until the queue is empty.</summary>
    public static async Task CompleteAllOfferedAsync(HttpClient device)
    {
        while (await LeaseAsync(device) is { } lease)
        {
            (await CompleteHonestlyAsync(device, lease)).EnsureSuccessStatusCode();
        }
    }

    /// <summary>Does what an honest worker does: fetch the unit's input, compute the reference outputs, upload them.</summary>
    public static async Task<HttpResponseMessage> CompleteHonestlyAsync(HttpClient device, WorkUnitLease lease) =>
        await UploadAsync(device, lease.LeaseId, await HonestOutputsAsync(device, lease));

    /// <summary>The unit's correct outputs, computed in plain C# from the input slice the device may fetch.</summary>
    public static async Task<byte[]> HonestOutputsAsync(HttpClient device, WorkUnitLease lease) =>
        HonestOutputs(await device.GetByteArrayAsync(WorkerRoutes.Blob(lease.InputSha256)));

    /// <summary>The reference model's outputs of a unit's input slice, as an honest worker uploads them.</summary>
    public static byte[] HonestOutputs(byte[] inputNpz)
    {
        var inputs = Npz.Read(inputNpz, new NpyLimits(inputNpz.Length));
        return Npz.ToBytes(new Dictionary<string, NpyArray> { [ReferenceModel.OutputName] = ReferenceModel.Compute(inputs[ReferenceModel.InputName]) });
    }

    /// <summary>What a lazy worker sends instead of running the model: zeros of the right shape for a unit of <paramref name="rows"/> rows.</summary>
    public static byte[] ZeroOutputs(int rows) => Npz.ToBytes(new Dictionary<string, NpyArray>
    {
        [ReferenceModel.OutputName] = NpyArray.FromFloats(new float[rows * ReferenceModel.OutputWidth], rows, ReferenceModel.OutputWidth),
    });

    /// <param name="computeMilliseconds">By default a minute: at the test devices' 1.20 a device-hour, two whole cents a unit.</param>
    public static Task<HttpResponseMessage> UploadAsync(HttpClient device, Guid leaseId, byte[] outputsNpz, long computeMilliseconds = 60_000)
    {
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(outputsNpz), WorkerRoutes.OutputsField, "outputs.npz" },
            { new StringContent(computeMilliseconds.ToString()), WorkerRoutes.ComputeMillisecondsField },
            { new StringContent("4"), WorkerRoutes.InferenceCountField },
        };
        return device.PostAsync(WorkerRoutes.Complete(leaseId), form);
    }

    /// <summary>Works honestly through every unit offered, as a worker on object storage does: bytes to and from the store directly.</summary>
    public static async Task CompleteAllOfferedDirectlyAsync(HttpClient device, HttpClient storage)
    {
        while (await LeaseAsync(device) is { Transfer: { } transfer } lease)
        {
            var outputs = HonestOutputs(await storage.GetByteArrayAsync(transfer.InputUrl));
            (await PutToStoreAsync(storage, transfer.OutputsUrl, outputs)).EnsureSuccessStatusCode();
            (await CompleteUploadedAsync(device, lease.LeaseId, new UploadedOutputs(ContentHash.Of(outputs), outputs.Length))).EnsureSuccessStatusCode();
        }
    }

    /// <summary>A PUT of a whole file to a transfer URL, as Azure Blob Storage takes one.</summary>
    public static Task<HttpResponseMessage> PutToStoreAsync(HttpClient storage, Uri url, byte[] content)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(content) };
        request.Headers.Add(BlobTransfer.BlobTypeHeader, BlobTransfer.BlockBlob);
        return storage.SendAsync(request);
    }

    /// <summary>A batched completion of one lease whose outputs went to the store directly: no file part, the upload declared.</summary>
    public static Task<HttpResponseMessage> CompleteUploadedAsync(HttpClient device, Guid leaseId, UploadedOutputs uploaded, long computeMilliseconds = 60_000) =>
        device.PostAsync(WorkerRoutes.CompleteMany, new MultipartFormDataContent
        {
            {
                new StringContent(System.Text.Json.JsonSerializer.Serialize(new[] { new UnitCompletion(leaseId, computeMilliseconds, 4, uploaded) },
                    System.Text.Json.JsonSerializerOptions.Web)),
                WorkerRoutes.CompletionsField
            },
        });
}
