using FleetMarket.Domain;
using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Money;
using FleetMarket.Domain.Payouts;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Audit;
using FleetMarket.Web.Features.Balance;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Features.Payouts;
using FleetMarket.Web.Features.Settlement;
using FleetMarket.Web.Features.WorkerProtocol;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Integration;

/// <summary>
/// Random sequences of everything that moves money — top-ups, jobs and their holds, work, rejections, settlement,
/// payout runs, approvals and holds, transfers, cancellations — through the real services: after every step the
/// ledger balances, and no buyer's balance or escrow and no owner's payable is below zero.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class LedgerInvariantTests(FleetApp app) : IClassFixture<FleetApp>
{
    private readonly MarketplaceBuilder _market = new(app);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RandomMoneyMovements_LedgerAlwaysBalanced_NoBalanceBelowZeroWhereItMustNotBe(int seed)
    {
        var random = new Random(seed);
        var buyers = new List<TestUser> { await _market.BuyerWithBalanceAsync(random.Next(0, 3_00)), await _market.BuyerWithBalanceAsync(50) };
        var devices = new List<PairedDevice> { await _market.PairedDeviceAsync(random.Next(60, 300)), await _market.PairedDeviceAsync(random.Next(60, 300)) };
        var finance = await TestUsers.CreateAsync(app, Roles.Finance);
        var reviewer = new Actor(finance.Id, finance.Email);
        var steps = new List<string>();

        for (var step = 0; step < 60; step++)
        {
            var buyer = buyers[random.Next(buyers.Count)];
            var action = random.Next(9);
            steps.Add(action.ToString());
            try
            {
                await (action switch
                {
                    0 => app.InScopeAsync(s => s.GetRequiredService<BalanceService>().SimulateTopUpAsync(buyer.Id, new Money(random.Next(1, 200), "USD"))),
                    1 => _market.SubmitSampleJobAsync(buyer, rows: random.Next(1, 9), rowsPerUnit: random.Next(1, 4)),
                    2 => WorkAsync(devices[random.Next(devices.Count)], units: random.Next(1, 4)),
                    3 => RejectSomeUsageAsync(random),
                    4 => RunAsync<SettlementTask>(job => job.RunAsync(CancellationToken.None)),
                    5 => RunAsync<PayoutRunTask>(job => job.RunAsync(CancellationToken.None)),
                    6 => DecideSomePayoutAsync(random, reviewer),
                    7 => CancelSomeJobAsync(random, buyer),
                    _ => RunAsync<LeaseSweepTask>(job => job.RunAsync(CancellationToken.None)),
                });
            }
            catch (DomainException)
            {
                // Refused by a marketplace rule (short of funds, nothing to cancel): refusals change nothing, which the checks below confirm.
            }

            await AssertInvariantsAsync(buyers, devices, $"seed {seed}, after steps {string.Join(" ", steps)}");
        }
    }

    [Fact]
    public async Task Postings_CannotBeChangedOrDeleted()
    {
        await _market.BuyerWithBalanceAsync(10_00);

        var change = await Assert.ThrowsAsync<InvalidOperationException>(() => app.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<FleetDbContext>();
            db.Postings.Remove(await db.Postings.FirstAsync());
            await db.SaveChangesAsync();
        }));

        Assert.Contains("immutable", change.Message);
    }

    private async Task WorkAsync(PairedDevice device, int units)
    {
        using var worker = _market.DeviceClient(device);
        for (var i = 0; i < units && await MarketplaceBuilder.LeaseAsync(worker) is { } lease; i++)
        {
            (await MarketplaceBuilder.CompleteHonestlyAsync(worker, lease)).EnsureSuccessStatusCode();
        }
    }

    private async Task RejectSomeUsageAsync(Random random)
    {
        var ids = await app.QueryAsync(db => db.UsageRecords.Where(u => u.ReversedAt == null).Select(u => u.Id).ToListAsync());
        if (ids.Count > 0)
        {
            await app.InScopeAsync(s => s.GetRequiredService<UsageReversals>().ReverseAsync(ids[random.Next(ids.Count)], "verification found it wrong"));
        }
    }

    private async Task DecideSomePayoutAsync(Random random, Actor reviewer)
    {
        var open = await app.QueryAsync(db => db.Payouts.Where(Payout.AwaitingReview).Select(p => new { p.Id, p.Status }).ToListAsync());
        if (open.Count == 0)
        {
            return;
        }

        var payout = open[random.Next(open.Count)];
        var payouts = app.Services.CreateScope().ServiceProvider.GetRequiredService<PayoutService>();
        var decision = (payout.Status, random.Next(3)) switch
        {
            (PayoutStatus.Held, _) => payouts.ReleaseAsync(reviewer, payout.Id, "checked the devices"),
            (_, 0) => payouts.HoldAsync(reviewer, payout.Id, "looks unusual"),
            _ => ApproveAndPayAsync(payouts, reviewer, payout.Id),
        };
        await decision;
    }

    private async Task ApproveAndPayAsync(PayoutService payouts, Actor reviewer, Guid payoutId)
    {
        await payouts.ApproveAsync(reviewer, payoutId);
        await RunAsync<PayoutExecutor>(executor => executor.ExecuteAsync(payoutId, CancellationToken.None));
    }

    private async Task CancelSomeJobAsync(Random random, TestUser buyer)
    {
        var jobs = await app.InScopeAsync(s => s.GetRequiredService<JobService>().ListAsync(buyer.Id));
        if (jobs.Count > 0)
        {
            await app.InScopeAsync(s => s.GetRequiredService<JobService>().CancelAsync(buyer.Id, jobs[random.Next(jobs.Count)].Id));
        }
    }

    private Task RunAsync<TJob>(Func<TJob, Task> run) where TJob : notnull =>
        app.InScopeAsync(s => run(s.GetRequiredService<TJob>()));

    private async Task AssertInvariantsAsync(List<TestUser> buyers, List<PairedDevice> devices, string context)
    {
        var check = await app.InScopeAsync(s => s.GetRequiredService<LedgerService>().CheckAsync());
        Assert.True(check.Balanced, $"Ledger unbalanced ({context}): {string.Join(", ", check.SumByCurrency)}; {check.UnbalancedTransactions.Count} bad transactions");
        var balances = await app.QueryAsync(db => db.Postings.GroupBy(p => p.Account)
            .Select(g => new { Account = g.Key, Sum = g.Sum(p => p.AmountMinor) }).ToDictionaryAsync(x => x.Account, x => x.Sum));
        foreach (var buyer in buyers)
        {
            Assert.True(balances.GetValueOrDefault(LedgerAccounts.BuyerBalance(buyer.Id)) >= 0, $"{buyer.Email}'s balance below zero ({context})");
            Assert.True(balances.GetValueOrDefault(LedgerAccounts.BuyerEscrow(buyer.Id)) >= 0, $"{buyer.Email}'s escrow below zero ({context})");
        }

        foreach (var device in devices)
        {
            Assert.True(balances.GetValueOrDefault(LedgerAccounts.OwnerPayable(device.Owner.Id)) >= 0, $"payable below zero ({context})");
        }

        Assert.Equal(0, await app.QueryAsync(db => db.Payouts.CountAsync(p => p.AmountMinor <= 0)));

        // No job spends beyond what it holds, however its holds were topped up or its buyer ran short.
        var overspent = await app.QueryAsync(db => db.Jobs.Where(j => j.ReservationId == null)
            .Where(j => db.UsageRecords.Where(u => u.JobId == j.Id).Sum(u => u.ChargeMinor) > j.HeldMinor)
            .Select(j => j.Id).ToListAsync());
        Assert.True(overspent.Count == 0, $"jobs spent beyond their hold ({context}): {string.Join(", ", overspent)}");
    }
}
