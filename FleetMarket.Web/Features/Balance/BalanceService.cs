using FleetMarket.Domain;
using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Money;
using FleetMarket.Domain.Settlement;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Features.Payments;
using FleetMarket.Web.Marketplace;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Balance;

/// <summary>A buyer's money: what is available to spend and what jobs and reservations hold in escrow.</summary>
public sealed record BuyerFunds(Money Available, Money Held);

/// <summary>One movement of a buyer's money: what it did to the available balance and to what is held in escrow.</summary>
public sealed record BalanceMovement(DateTimeOffset At, string Cause, Money Available, Money Held, JobUsage? Usage);

/// <summary>A buyer's prepaid balance and escrow, read from the ledger.</summary>
public sealed class BalanceService(FleetDbContext db, LedgerService ledger, JobEscrow escrow, TimeProvider time,
    IOptions<MarketplaceOptions> marketplace, StripeGateway stripe)
{
    private string Currency => marketplace.Value.Currency;

    public async Task<BuyerFunds> GetAsync(string buyerId, CancellationToken cancellationToken = default) => new(
        await ledger.BalanceAsync(LedgerAccounts.BuyerBalance(buyerId), Currency, cancellationToken),
        await ledger.BalanceAsync(LedgerAccounts.BuyerEscrow(buyerId), Currency, cancellationToken));

    /// <summary>
    /// A top-up recorded without a payment provider, for the embedded demo only (no Stripe keys): the UI
    /// labels it as simulated. Stripe Checkout replaces it where keys are configured.
    /// </summary>
    public async Task SimulateTopUpAsync(string buyerId, Money amount, CancellationToken cancellationToken = default)
    {
        if (stripe.IsConfigured)
        {
            throw new DomainException("Top-ups go through Stripe Checkout here.");
        }

        RequireMarketplaceCurrency(amount);
        var reference = $"simulated-{Guid.NewGuid():N}";
        await ledger.TryAddAsync(SettlementEntries.TopUp(buyerId, amount.Minor, amount.Currency, reference, simulated: true, time.GetUtcNow()),
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await escrow.ResumeAsync(buyerId, cancellationToken);
    }

    /// <summary>Whether top-ups are real card payments (Stripe configured) or simulated.</summary>
    public bool PaysWithStripe => stripe.IsConfigured;

    /// <summary>The Stripe Checkout page for a top-up; the balance is credited when Stripe's webhook confirms payment.</summary>
    public Task<string> StartTopUpAsync(string buyerId, Money amount, Uri portal, CancellationToken cancellationToken = default)
    {
        RequireMarketplaceCurrency(amount);
        var least = Money.FromMajor(1, Currency);
        if (amount.Minor < least.Minor)
        {
            throw new DomainException($"A top-up is at least {least.ToMajorText()}.");
        }

        return stripe.CreateTopUpCheckoutAsync(buyerId, amount.Minor, amount.Currency, new Uri(portal, "buyer/balance?topup=paid").ToString(),
            new Uri(portal, "buyer/balance").ToString(), cancellationToken);
    }

    /// <summary>
    /// What moved the buyer's money, newest first, one line per movement: a hold moves money from available to held,
    /// and reads as one line with both effects rather than as its two postings. Settled usage is one line per job.
    /// </summary>
    /// <param name="movements">How many of the latest movements.</param>
    public async Task<IReadOnlyList<BalanceMovement>> HistoryAsync(string buyerId, int movements = HistoryLines,
        CancellationToken cancellationToken = default)
    {
        var held = LedgerAccounts.BuyerEscrow(buyerId);

        // A hold or a release is a line in each account: twice the lines make at least the movements asked for.
        var lines = await ledger.HistoryByJobAsync([LedgerAccounts.BuyerBalance(buyerId), held], UsageSide.Buyer, buyerId, 2 * movements,
            cancellationToken);
        return lines.GroupBy(l => (l.At, l.Cause, l.Amount.Currency))
            .Select(g => new BalanceMovement(g.Key.At, g.Key.Cause,
                g.Where(l => l.Account != held).Select(l => l.Amount).Sum(g.Key.Currency),
                g.Where(l => l.Account == held).Select(l => l.Amount).Sum(g.Key.Currency),
                g.Select(l => l.Usage).FirstOrDefault(u => u is not null)))
            .OrderByDescending(m => m.At)
            .Take(movements)
            .ToList();
    }

    /// <summary>The movements a page of history shows, and how many more "show older" adds.</summary>
    public const int HistoryLines = 50;

    /// <summary>The most movements one export holds (the latest): the history is grouped in memory.</summary>
    public const int ExportedMovements = 100_000;

    public async Task<Money> EarningsAsync(string ownerId, CancellationToken cancellationToken = default) =>
        await ledger.BalanceAsync(LedgerAccounts.OwnerEarnings(ownerId), Currency, cancellationToken);

    private void RequireMarketplaceCurrency(Money amount)
    {
        if (amount.Currency != Currency)
        {
            throw new DomainException($"Top-ups are in {Currency}.");
        }
    }
}
