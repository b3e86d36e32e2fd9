using System.Net;
using FleetMarket.Domain.Payouts;
using FleetMarket.Domain.Settlement;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Features.Payments;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using StripeException = Stripe.StripeException;

namespace FleetMarket.Web.Features.Payouts;

/// <summary>
/// execute-payout: transfers an approved payout to the owner's connected account, then posts it and marks it
/// paid in one transaction. Safe to run any number of times: the transfer's idempotency key is the payout's
/// id, so a run after a crash between transfer and posting gets the same transfer back and posts it once.
/// Without Stripe keys the transfer is simulated and labelled so.
/// </summary>
public sealed class PayoutExecutor(FleetDbContext db, LedgerService ledger, StripeGateway stripe, TimeProvider time,
    ILogger<PayoutExecutor> logger)
{
    public const string Id = "execute-payout";

    [AutomaticRetry(Attempts = 5)]
    public async Task ExecuteAsync(Guid payoutId, CancellationToken cancellationToken)
    {
        var payout = await db.Payouts.SingleAsync(p => p.Id == payoutId, cancellationToken);
        if (payout.Status != PayoutStatus.Approved)
        {
            return;
        }

        if (!stripe.IsConfigured)
        {
            await MarkPaidAsync(payout, $"simulated-{payout.Id:N}", simulated: true, cancellationToken);
            return;
        }

        var account = await db.PayoutAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.OwnerId == payout.OwnerId, cancellationToken);
        if (account is not { PayoutsEnabled: true })
        {
            await FailAsync(payout, "The owner has no payout account that can receive transfers.", cancellationToken);
            return;
        }

        StripeTransfer transfer;
        try
        {
            transfer = await stripe.TransferAsync(payout.Id, payout.AmountMinor, payout.Currency, account.ProviderAccountId, cancellationToken);
        }
        catch (StripeException refused) when (refused.HttpStatusCode is HttpStatusCode.BadRequest or HttpStatusCode.PaymentRequired)
        {
            // Stripe will not make this transfer however often it is asked (e.g. the platform's balance is short).
            await FailAsync(payout, $"Stripe refused the transfer: {refused.StripeError?.Message ?? refused.Message}", cancellationToken);
            return;
        }

        await MarkPaidAsync(payout, transfer.Id, simulated: false, cancellationToken);
    }

    private async Task MarkPaidAsync(Payout payout, string transferId, bool simulated, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        payout.MarkPaid(transferId, simulated, now);
        await ledger.TryAddAsync(SettlementEntries.PayOut(payout, now), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Payout {PayoutId} paid as {TransferId}", payout.Id, transferId);
    }

    private async Task FailAsync(Payout payout, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        payout.MarkFailed(reason, now);
        await ledger.TryAddAsync(SettlementEntries.ReturnUnpaid(payout, now), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogWarning("Payout {PayoutId} failed: {Reason}", payout.Id, reason);
    }
}
