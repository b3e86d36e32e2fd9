using System.Net;
using System.Net.Http.Json;
using FleetMarket.Domain;
using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Verification;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Tests.Unit.Worker;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Worker.Inference;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

[Collection(AppCollection.Name)]
public sealed class JobSubmissionTests(FleetApp app) : IClassFixture<FleetApp>
{
    private readonly MarketplaceBuilder _market = new(app);

    [Fact]
    public async Task Submit_InputWidthDiffersFromModel_ProblemNamesTheShapeAndNothingIsQueued()
    {
        var buyer = await _market.BuyerWithBalanceAsync();
        using var client = await TestUsers.SignedInClientAsync(app, buyer);
        var wrongWidth = NpyArray.FromFloats(new float[10 * 5], 10, 5);

        var response = await client.PostAsync("/api/jobs", Form(ReferenceModel.Build(), "inputs.npy", Npy.ToBytes(wrongWidth)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains("[10, 5]", problem!.Detail);
        Assert.Contains("features", problem.Detail);
        Assert.Equal(0, await app.QueryAsync(db => db.Jobs.CountAsync(j => j.BuyerId == buyer.Id)));
    }

    [Fact]
    public async Task Submit_MalformedModel_ProblemSaysOnnxRuntimeCouldNotLoadIt()
    {
        var buyer = await _market.BuyerWithBalanceAsync();
        using var client = await TestUsers.SignedInClientAsync(app, buyer);

        var response = await client.PostAsync("/api/jobs",
            Form("not a model"u8.ToArray(), "inputs.npy", Npy.ToBytes(MarketplaceBuilder.SampleInputs(4))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("could not be loaded", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
    }

    [Fact]
    public async Task Submit_ModelLargerThanKestrelsDefaultLimit_ReachesTheModelCheck()
    {
        // 40 MB: past Kestrel's 30 MB default request limit, well within the marketplace's own 100 MiB.
        var buyer = await _market.BuyerWithBalanceAsync();
        using var client = await TestUsers.SignedInClientAsync(app, buyer);

        var response = await client.PostAsync("/api/jobs",
            Form(new byte[40 * 1024 * 1024], "inputs.npy", Npy.ToBytes(MarketplaceBuilder.SampleInputs(4))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("could not be loaded", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
    }

    [Fact]
    public async Task Submit_BalanceBelowTheHold_RefusedAndBalanceUntouched()
    {
        var buyer = await _market.BuyerWithBalanceAsync(balanceMinor: 1);
        var jobs = app.Services.CreateScope().ServiceProvider.GetRequiredService<JobService>();

        var refused = await Assert.ThrowsAsync<DomainException>(() => _market.SubmitSampleJobAsync(buyer, rows: 40, rowsPerUnit: 1));

        Assert.Contains("Top up", refused.Message);
        Assert.Empty(await jobs.ListAsync(buyer.Id));
        var balance = await app.InScopeAsync(s => s.GetRequiredService<Web.Features.Balance.BalanceService>().GetAsync(buyer.Id));
        Assert.Equal(1, balance.Available.Minor);
        Assert.Equal(0, balance.Held.Minor);
    }

    [Fact]
    public async Task Submit_ValidJob_SplitsRowsIntoUnitsAndHoldsEscrow()
    {
        var buyer = await _market.BuyerWithBalanceAsync(balanceMinor: 10_00);

        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: 10, rowsPerUnit: 4);

        var units = await app.QueryAsync(db => db.WorkUnits.Where(u => u.JobId == jobId).OrderBy(u => u.Index).ToListAsync());
        Assert.Equal([(0, 4), (4, 4), (8, 2)], units.Select(u => (u.RowStart, u.RowCount)));
        var balance = await app.InScopeAsync(s => s.GetRequiredService<Web.Features.Balance.BalanceService>().GetAsync(buyer.Id));
        Assert.True(balance.Held.Minor > 0);
        Assert.Equal(10_00, balance.Available.Minor + balance.Held.Minor);
    }

    [Fact]
    public async Task Submit_BatchedInputBesideScalar_WorkerRunsEveryUnitWithTheScalar_OutputsInOrder()
    {
        var x = NpyArray.FromFloats([.. Enumerable.Range(0, 5 * 3).Select(i => i - 7f)], 5, 3);

        var (job, y) = await RunOnRealWorkerAsync(TestModels.Scale(), new() { ["x"] = x, ["scale"] = NpyArray.FromFloats([2.5f]) }, rowsPerUnit: 2);

        Assert.Equal((5, 3), (job.Rows, job.Units));
        Assert.Equal([5, 3], y.Shape);
        Assert.Equal(x.ToFloats().Select(v => v * 2.5f), y.ToFloats());
    }

    [Fact]
    public async Task Submit_NoBatchedInput_RunsAsOneUnitOfOneRow_OutputAsTheModelGivesIt()
    {
        var x = NpyArray.FromFloats([1, 2, 3, 4, 5, 6], 2, 3);

        var (job, y) = await RunOnRealWorkerAsync(TestModels.Scale(batched: false), new() { ["x"] = x, ["scale"] = NpyArray.FromFloats([-2f]) }, rowsPerUnit: 4);

        Assert.Equal((1, 1), (job.Rows, job.Units));
        Assert.Equal([2, 3], y.Shape);
        Assert.Equal([-2f, -4, -6, -8, -10, -12], y.ToFloats());
    }

    [Fact]
    public async Task JobsApi_AnotherBuyersJob_IsNotFound()
    {
        var owner = await _market.BuyerWithBalanceAsync();
        var jobId = await _market.SubmitSampleJobAsync(owner);
        var stranger = await _market.BuyerWithBalanceAsync();
        using var client = await TestUsers.SignedInClientAsync(app, stranger);

        var status = await client.GetAsync($"/api/jobs/{jobId}");
        var outputs = await client.GetAsync($"/api/jobs/{jobId}/outputs");

        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, outputs.StatusCode);
    }

    [Fact]
    public async Task JobsApi_SignedInAsOwner_IsForbidden_AndAnonymousIsUnauthorized()
    {
        var owner = await TestUsers.CreateAsync(app, Roles.Owner);
        using var ownerClient = await TestUsers.SignedInClientAsync(app, owner);
        using var anonymous = app.NewClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await ownerClient.GetAsync("/api/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/jobs")).StatusCode);
    }

    /// <summary>Submits a job through <see cref="JobService"/>, has the real worker program run it, and returns its progress and its one output.</summary>
    private async Task<(JobProgress Job, NpyArray Output)> RunOnRealWorkerAsync(byte[] model, Dictionary<string, NpyArray> inputs, int rowsPerUnit)
    {
        // Asking more than the default maximum price, the device is offered this job only, not the samples other tests queued.
        var (_, code) = await _market.DeviceAwaitingPairingAsync(askingPricePerHourMinor: 400);
        using var worker = new WorkerProcess();
        var paired = await worker.RunAsync("pair", "--server", app.BaseAddress.ToString(), "--code", code.Code);
        Assert.True(paired.ExitCode == 0, paired.Error + paired.Output);
        var buyer = await _market.BuyerWithBalanceAsync();
        var jobId = await app.InScopeAsync(s => s.GetRequiredService<JobService>().SubmitAsync(buyer.Id,
            new JobSubmission("Broadcast", model, "inputs.npz", Npz.ToBytes(inputs), rowsPerUnit, MaxPricePerHourMinor: 500,
                Verification: VerificationPolicy.Unchecked)));

        var run = await worker.RunAsync("run", "--once");

        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        await Eventually.TrueAsync(
            async () => (await app.InScopeAsync(s => s.GetRequiredService<JobService>().GetAsync(buyer.Id, jobId))).Status == JobStatus.Completed,
            TimeSpan.FromSeconds(30), $"the job to complete; the worker logged: {run.Output}{run.Error}");
        return await app.InScopeAsync(async s =>
        {
            var jobs = s.GetRequiredService<JobService>();
            var output = await jobs.OpenOutputAsync(buyer.Id, jobId);
            await using var content = output.Content;
            return (await jobs.GetAsync(buyer.Id, jobId), Npy.Read(content));
        });
    }

    private static MultipartFormDataContent Form(byte[] model, string inputsName, byte[] inputs) => new()
    {
        { new ByteArrayContent(model), "model", "model.onnx" },
        { new ByteArrayContent(inputs), "inputs", inputsName },
    };
}
