using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Settlement;

namespace FleetMarket.Tests.Unit.Domain;

public sealed class LedgerTransactionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_LegsThatDoNotSumToZero_IsRefused() =>
        Assert.Throws<InvalidOperationException>(() => LedgerTransaction.Create("k", "cause", "USD", Now,
            ("a", 100), ("b", -99)));

    [Fact]
    public void Create_WithoutCause_IsRefused() =>
        Assert.Throws<ArgumentException>(() => LedgerTransaction.Create("k", " ", "USD", Now, ("a", 1), ("b", -1)));

    [Fact]
    public void SettleUsage_UnitsOfAJobOnAnOwnersDevices_PostOnceSplitBetweenOwnerAndPlatform()
    {
        var job = new InferenceJob("buyer-1", "job", new string('a', 64), 8, 300, "USD", Now);
        job.Split(4, [new string('b', 64), new string('c', 64)]);
        var usage = new[]
        {
            new UsageRecord(job.Units[0], job, Guid.NewGuid(), "owner-1", 120, chargeMinor: 25, feeMinor: 5, Now),
            new UsageRecord(job.Units[1], job, Guid.NewGuid(), "owner-1", 120, chargeMinor: 1, feeMinor: 0, Now.AddSeconds(1)),
        };

        var transaction = SettlementEntries.SettleUsage(usage, Now);

        Assert.Equal(0, transaction.Postings.Sum(p => p.AmountMinor));
        Assert.Equal(-26, transaction.Postings.Single(p => p.Account == LedgerAccounts.BuyerEscrow("buyer-1")).AmountMinor);
        Assert.Equal(21, transaction.Postings.Single(p => p.Account == LedgerAccounts.OwnerEarnings("owner-1")).AmountMinor);
        Assert.Equal(5, transaction.Postings.Single(p => p.Account == LedgerAccounts.PlatformFees).AmountMinor);
        Assert.Equal($"usage:{usage[0].Id}", transaction.IdempotencyKey);
        Assert.Contains(job.Id.ToString(), transaction.Cause);
        Assert.Contains("2 units", transaction.Cause);
    }

    [Fact]
    public void SettleUsage_UnitsOfTwoOwners_IsRefused()
    {
        var job = new InferenceJob("buyer-1", "job", new string('a', 64), 8, 300, "USD", Now);
        job.Split(4, [new string('b', 64), new string('c', 64)]);
        var usage = new[]
        {
            new UsageRecord(job.Units[0], job, Guid.NewGuid(), "owner-1", 120, chargeMinor: 25, feeMinor: 5, Now),
            new UsageRecord(job.Units[1], job, Guid.NewGuid(), "owner-2", 120, chargeMinor: 25, feeMinor: 5, Now),
        };

        Assert.Throws<FleetMarket.Domain.DomainException>(() => SettlementEntries.SettleUsage(usage, Now));
    }

    [Fact]
    public void TopUp_NonPositiveAmount_IsRefused() =>
        Assert.Throws<FleetMarket.Domain.DomainException>(() => SettlementEntries.TopUp("b", 0, "USD", "ref", simulated: true, Now));
}
