using System.Net;
using System.Net.Http.Json;
using FleetMarket.Domain;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Reservations;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.Balance;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Web.Features.Reservations;
using FleetMarket.Web.Features.Settlement;
using FleetMarket.Worker.Inference;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

[Collection(AppCollection.Name)]
public sealed class ReservationTests(ProviderApps apps) : IClassFixture<ProviderApps>
{
    private FleetApp _app = null!;
    private MarketplaceBuilder _market = null!;

    /// <summary>The class's marketplace on <paramref name="database"/>; each test works in a region of its own.</summary>
    private void Start(TestDatabase database)
    {
        _app = apps.For(database);
        _market = new MarketplaceBuilder(_app);
    }

    [ProviderTheory]
    public async Task Reserve_TakesTheCheapestDevice_AndHoldsItsPriceFromTheBalance(TestDatabase database)
    {
        Start(database);
        var region = NewRegion();
        var cheap = await _market.PairedDeviceAsync(askingPricePerHourMinor: 100, region);
        await _market.PairedDeviceAsync(askingPricePerHourMinor: 300, region);
        var buyer = await _market.BuyerWithBalanceAsync(10_00);
        using var client = await TestUsers.SignedInClientAsync(_app, buyer);

        var response = await client.PostAsJsonAsync("/api/reservations", Request(hours: 2, region));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<ReservationDetail>(ApiJson.Options))!;
        Assert.Equal(cheap.DeviceId, Assert.Single(detail.Devices).DeviceId);
        Assert.Equal(200, detail.Summary.HeldMinor);
        Assert.Equal(new BuyerBalance(8_00, 2_00, "USD"), await BalanceAsync(buyer));
    }

    [ProviderTheory]
    public async Task Reserve_ManyBuyersAtOnceForScarceCapacity_NoHourSoldTwice_NoBalanceNegative_HoldsAddUp(TestDatabase database)
    {
        Start(database);
        var region = NewRegion();
        await _market.PairedDeviceAsync(askingPricePerHourMinor: 100, region);
        await _market.PairedDeviceAsync(askingPricePerHourMinor: 150, region);
        var buyers = new List<TestUser>();
        for (var i = 0; i < 10; i++)
        {
            // Some can afford two hours, some one, some none.
            buyers.Add(await _market.BuyerWithBalanceAsync(balanceMinor: 50 + (i % 3 * 100)));
        }

        // Two devices × four hours = eight device-hours for ten buyers asking two hours each, all at once.
        var attempts = await Task.WhenAll(buyers.Select(buyer => Task.Run(async () =>
        {
            try
            {
                return (Buyer: buyer, Id: (Guid?)await _app.InScopeAsync(s =>
                    s.GetRequiredService<ReservationService>().ReserveAsync(buyer.Id, Request(hours: 2, region, windowHours: 4))), Error: (string?)null);
            }
            catch (DomainException refused)
            {
                return (Buyer: buyer, Id: null, Error: refused.Message);
            }
        })));

        var slots = await _app.QueryAsync(db => db.ReservedSlots
            .Where(s => db.Devices.Any(d => d.Id == s.DeviceId && d.Region == region)).ToListAsync());
        var reserved = attempts.Where(a => a.Id is not null).ToList();
        Assert.NotEmpty(reserved);
        Assert.InRange(slots.Count, 1, 8);
        Assert.Equal(slots.Count, slots.Select(s => (s.DeviceId, s.StartsAt)).Distinct().Count());
        Assert.Equal(reserved.Count * 2, slots.Count);
        Assert.All(attempts.Where(a => a.Id is null), a => Assert.Matches("Top up|Only|Other buyers", a.Error));
        foreach (var buyer in buyers)
        {
            var balance = await BalanceAsync(buyer);
            var held = await _app.QueryAsync(db => db.Reservations.Where(r => r.BuyerId == buyer.Id).SumAsync(r => r.HeldMinor));
            Assert.True(balance.AvailableMinor >= 0, $"{buyer.Email} went negative: {balance}");
            Assert.Equal(held, balance.HeldMinor);
            Assert.Equal(50 + (buyers.IndexOf(buyer) % 3 * 100), balance.AvailableMinor + balance.HeldMinor);
        }
    }

    [ProviderTheory]
    public async Task SubmitJobs_AtOnceBeyondTheBalance_OnlyWhatTheBalanceCoversIsAccepted(TestDatabase database)
    {
        Start(database);
        // What one such job holds (its estimate with the margin), learnt from a first buyer's; the second can pay for two and a half.
        var probe = await _market.BuyerWithBalanceAsync();
        var probeJob = await _market.SubmitSampleJobAsync(probe, rows: 4, rowsPerUnit: 4);
        var hold = await _app.QueryAsync(db => db.Jobs.Where(j => j.Id == probeJob).Select(j => j.HeldMinor).SingleAsync());
        var buyer = await _market.BuyerWithBalanceAsync(balanceMinor: 2 * hold + hold / 2);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            try
            {
                await _market.SubmitSampleJobAsync(buyer, rows: 4, rowsPerUnit: 4);
                return true;
            }
            catch (DomainException)
            {
                return false;
            }
        })));

        Assert.Equal(2, outcomes.Count(accepted => accepted));
        Assert.Equal(new BuyerBalance(hold / 2, 2 * hold, "USD"), await BalanceAsync(buyer));
    }

    [ProviderTheory]
    public async Task JobOnReservation_RunsOnlyOnTheReservedDevice_AtTheReservedPrice(TestDatabase database)
    {
        Start(database);
        var region = NewRegion();
        var reservedDevice = await _market.PairedDeviceAsync(askingPricePerHourMinor: 90, region);
        var otherDevice = await _market.PairedDeviceAsync(askingPricePerHourMinor: 90, NewRegion());
        var buyer = await _market.BuyerWithBalanceAsync();
        var reservationId = await ReserveAsync(buyer, Request(hours: 2, region));
        var jobId = await SubmitAsync(buyer, reservationId: reservationId);

        using var other = _market.DeviceClient(otherDevice);
        while (await MarketplaceBuilder.LeaseAsync(other) is { } lease)
        {
            Assert.NotEqual(jobId, lease.JobId);
            (await MarketplaceBuilder.CompleteHonestlyAsync(other, lease)).EnsureSuccessStatusCode();
        }

        using var reserved = _market.DeviceClient(reservedDevice);
        var reservedLease = await MarketplaceBuilder.LeaseAsync(reserved);
        Assert.Equal(jobId, reservedLease?.JobId);
        (await MarketplaceBuilder.CompleteHonestlyAsync(reserved, reservedLease!)).EnsureSuccessStatusCode();

        var usage = await _app.QueryAsync(db => db.UsageRecords.SingleAsync(u => u.JobId == jobId));
        Assert.Equal(reservationId, usage.ReservationId);
        Assert.Equal(90, usage.PricePerHourMinor);
        var summary = await _app.InScopeAsync(s => s.GetRequiredService<ReservationService>().GetAsync(buyer.Id, reservationId));
        Assert.Equal(usage.ChargeMinor, summary.Summary.Spent.Minor);
        Assert.Equal(1, summary.Summary.Jobs);
    }

    [ProviderTheory]
    public async Task Cancel_FreesTheHoursForOthers_AndSettlementReturnsWhatWasNotSpent(TestDatabase database)
    {
        Start(database);
        var region = NewRegion();
        var device = await _market.PairedDeviceAsync(askingPricePerHourMinor: 100, region);
        var buyer = await _market.BuyerWithBalanceAsync(10_00);
        var reservationId = await ReserveAsync(buyer, Request(hours: 2, region));
        var jobId = await SubmitAsync(buyer, reservationId: reservationId, rows: 8);
        using var worker = _market.DeviceClient(device);
        var lease = (await MarketplaceBuilder.LeaseAsync(worker))!;
        (await MarketplaceBuilder.CompleteHonestlyAsync(worker, lease)).EnsureSuccessStatusCode();
        using var client = await TestUsers.SignedInClientAsync(_app, buyer);

        var cancelled = await client.PostAsync($"/api/reservations/{reservationId}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var summary = (await cancelled.Content.ReadFromJsonAsync<ReservationDetail>(ApiJson.Options))!.Summary;
        Assert.Equal(ReservationState.Cancelled, summary.State);
        Assert.False(summary.UnspentReturned);
        Assert.Equal(JobStatus.Cancelled, (await _app.InScopeAsync(s => s.GetRequiredService<JobService>().GetAsync(buyer.Id, jobId))).Status);
        var another = await _market.BuyerWithBalanceAsync(10_00);
        await ReserveAsync(another, Request(hours: 2, region));

        await _app.RunRecurringJobAsync(SettlementTask.Id);

        var spent = await _app.QueryAsync(db => db.UsageRecords.Where(u => u.ReservationId == reservationId).SumAsync(u => u.ChargeMinor));
        Assert.True(spent > 0);
        Assert.Equal(new BuyerBalance(10_00 - spent, 0, "USD"), await BalanceAsync(buyer));
        Assert.True((await _app.InScopeAsync(s => s.GetRequiredService<ReservationService>().GetAsync(buyer.Id, reservationId))).Summary.UnspentReturned);
    }

    [Fact]
    public async Task HighPriorityJob_IsLeasedBeforeAnOlderNormalOne()
    {
        Start(TestDatabase.Sqlite);
        var device = await _market.PairedDeviceAsync(askingPricePerHourMinor: 15_000, NewRegion());
        var buyer = await _market.BuyerWithBalanceAsync();
        var older = await SubmitAsync(buyer, maxPrice: 20_000);
        var urgent = await SubmitAsync(buyer, maxPrice: 20_000, priority: JobPriority.High);

        using var worker = _market.DeviceClient(device);

        Assert.Equal(urgent, (await MarketplaceBuilder.LeaseAsync(worker))?.JobId);
        Assert.Equal(older, (await MarketplaceBuilder.LeaseAsync(worker))?.JobId);
    }

    [Fact]
    public async Task HighPriority_OrdersOnlyTheBuyersOwnJobs_AnotherBuyerKeepsTheirPlace()
    {
        Start(TestDatabase.Sqlite);
        var device = await _market.PairedDeviceAsync(askingPricePerHourMinor: 25_000, NewRegion());
        var first = await _market.BuyerWithBalanceAsync(1_000_00);
        var later = await _market.BuyerWithBalanceAsync(1_000_00);
        var waiting = await SubmitAsync(first, maxPrice: 30_000);
        var urgent = await SubmitAsync(later, maxPrice: 30_000, priority: JobPriority.High);

        using var worker = _market.DeviceClient(device);

        Assert.Equal(waiting, (await MarketplaceBuilder.LeaseAsync(worker))?.JobId);
        Assert.Equal(urgent, (await MarketplaceBuilder.LeaseAsync(worker))?.JobId);
    }

    [Fact]
    public async Task AnotherBuyer_CannotSeeCancelOrUseTheReservation()
    {
        Start(TestDatabase.Sqlite);
        var region = NewRegion();
        await _market.PairedDeviceAsync(askingPricePerHourMinor: 100, region);
        var owner = await _market.BuyerWithBalanceAsync();
        var reservationId = await ReserveAsync(owner, Request(hours: 1, region));
        var stranger = await _market.BuyerWithBalanceAsync();
        using var client = await TestUsers.SignedInClientAsync(_app, stranger);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/reservations/{reservationId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/reservations/{reservationId}/cancel", null)).StatusCode);
        Assert.Empty((await client.GetFromJsonAsync<List<ReservationSummary>>("/api/reservations", ApiJson.Options))!);
        await Assert.ThrowsAsync<Web.Features.NotFoundException>(() => SubmitAsync(stranger, reservationId: reservationId));
        Assert.Equal(ReservationState.Active, (await _app.InScopeAsync(s =>
            s.GetRequiredService<ReservationService>().GetAsync(owner.Id, reservationId))).Summary.State);
    }

    [Fact]
    public async Task Reserve_WindowInThePast_ProblemSaysSo_AndNothingIsHeld()
    {
        Start(TestDatabase.Sqlite);
        var region = NewRegion();
        await _market.PairedDeviceAsync(askingPricePerHourMinor: 100, region);
        var buyer = await _market.BuyerWithBalanceAsync(10_00);
        using var client = await TestUsers.SignedInClientAsync(_app, buyer);
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1);

        var response = await client.PostAsJsonAsync("/api/reservations",
            new ReservationRequest(1, yesterday, yesterday.AddHours(2), new CapacityRequirements(Region: region, MaxPricePerHourMinor: 500)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("in the past", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(new BuyerBalance(10_00, 0, "USD"), await BalanceAsync(buyer));
        Assert.Equal(0, await _app.QueryAsync(db => db.Reservations.CountAsync(r => r.BuyerId == buyer.Id)));
    }

    [Fact]
    public async Task Capacity_ShowsTheWeeksFreeHours_LessThoseSold()
    {
        Start(TestDatabase.Sqlite);
        var region = NewRegion();
        var device = await _market.PairedDeviceAsync(askingPricePerHourMinor: 100, region);
        var buyer = await _market.BuyerWithBalanceAsync(10_00);
        await ReserveAsync(buyer, Request(hours: 3, region, windowHours: 3));
        using var client = await TestUsers.SignedInClientAsync(_app, buyer);

        var view = (await client.GetFromJsonAsync<CapacityView>($"/api/capacity?region={region}", ApiJson.Options))!;

        var offer = Assert.Single(view.Devices);
        Assert.Equal(device.DeviceId, offer.DeviceId);
        Assert.Equal((7 * 24) - 3, offer.FreeHours);
        Assert.Equal(offer.FreeHours, view.ByDay.Sum(day => day.FreeHours));
    }

    private static string NewRegion() => $"region-{Guid.NewGuid():N}"[..20];

    /// <summary>Hours from the slot under way, so a job can run at once.</summary>
    private static ReservationRequest Request(int hours, string region, int windowHours = 2)
    {
        var now = DateTimeOffset.UtcNow;
        return new ReservationRequest(hours, now, CapacityClock.SlotStartOf(now).AddHours(windowHours),
            new CapacityRequirements(Region: region, MaxPricePerHourMinor: 500));
    }

    private Task<Guid> ReserveAsync(TestUser buyer, ReservationRequest request) =>
        _app.InScopeAsync(s => s.GetRequiredService<ReservationService>().ReserveAsync(buyer.Id, request));

    private Task<Guid> SubmitAsync(TestUser buyer, Guid? reservationId = null, int rows = 4, long? maxPrice = null,
        JobPriority priority = JobPriority.Normal) =>
        _app.InScopeAsync(s => s.GetRequiredService<JobService>().SubmitAsync(buyer.Id, new JobSubmission("Reserved", ReferenceModel.Build(),
            "inputs.npy", Npy.ToBytes(MarketplaceBuilder.SampleInputs(rows)), RowsPerUnit: 4, maxPrice, priority, reservationId)));

    private Task<BuyerBalance> BalanceAsync(TestUser buyer) =>
        _app.InScopeAsync(async s => BuyerBalance.From(await s.GetRequiredService<BalanceService>().GetAsync(buyer.Id)));
}
