using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Settlement;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Hosting;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Balance;

public sealed record BuyerBalance(long AvailableMinor, long HeldMinor, string Currency);

/// <summary>A buyer's prepaid balance and escrow, read from the ledger.</summary>
public sealed class BalanceService(FleetDbContext db, LedgerService ledger, TimeProvider time, IOptions<MarketplaceOptions> marketplace)
{
    private string Currency => marketplace.Value.Currency;

    public async Task<BuyerBalance> GetAsync(string buyerId, CancellationToken cancellationToken = default) => new(
        await ledger.BalanceAsync(LedgerAccounts.BuyerBalance(buyerId), Currency, cancellationToken),
        await ledger.BalanceAsync(LedgerAccounts.BuyerEscrow(buyerId), Currency, cancellationToken),
        Currency);

    /// <summary>
    /// A top-up recorded without a payment provider, for the embedded demo only (no Stripe keys): the UI
    /// labels it as simulated. Stripe Checkout replaces it where keys are configured.
    /// </summary>
    public async Task SimulateTopUpAsync(string buyerId, long amountMinor, CancellationToken cancellationToken = default)
    {
        var reference = $"simulated-{Guid.NewGuid():N}";
        await ledger.TryAddAsync(SettlementEntries.TopUp(buyerId, amountMinor, Currency, reference, time.GetUtcNow()), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task<IReadOnlyList<LedgerLine>> HistoryAsync(string buyerId, CancellationToken cancellationToken = default) =>
        ledger.HistoryAsync([LedgerAccounts.BuyerBalance(buyerId), LedgerAccounts.BuyerEscrow(buyerId)], 50, cancellationToken);

    public async Task<long> EarningsAsync(string ownerId, CancellationToken cancellationToken = default) =>
        await ledger.BalanceAsync(LedgerAccounts.OwnerEarnings(ownerId), Currency, cancellationToken);
}
