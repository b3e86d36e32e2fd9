using FleetMarket.Domain;
using FleetMarket.Domain.Payouts;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Payments;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Payouts;

/// <summary>An owner's Stripe Connect Express onboarding: create the account, send them to Stripe, read the outcome.</summary>
public sealed class PayoutAccountService(FleetDbContext db, StripeGateway stripe, TimeProvider time)
{
    public const string ReturnPath = "owner/payout-account/return";

    public bool IsAvailable => stripe.IsConfigured;

    public Task<PayoutAccount?> GetAsync(string ownerId, CancellationToken cancellationToken = default) =>
        db.PayoutAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.OwnerId == ownerId, cancellationToken);

    /// <summary>The Stripe-hosted onboarding page to send the owner to; creates their account the first time.</summary>
    public async Task<string> StartOnboardingAsync(string ownerId, string email, Uri portal, CancellationToken cancellationToken = default)
    {
        if (!stripe.IsConfigured)
        {
            throw new DomainException("Payouts are not configured on this server.");
        }

        var account = await db.PayoutAccounts.SingleOrDefaultAsync(a => a.OwnerId == ownerId, cancellationToken);
        if (account is null)
        {
            account = new PayoutAccount(ownerId, await stripe.CreateExpressAccountAsync(ownerId, email, cancellationToken), time.GetUtcNow());
            db.PayoutAccounts.Add(account);
            await db.SaveChangesAsync(cancellationToken);
        }

        var back = new Uri(portal, ReturnPath).ToString();
        return await stripe.CreateOnboardingLinkAsync(account.ProviderAccountId, refreshUrl: back, returnUrl: back, cancellationToken);
    }

    /// <summary>On the owner's return from Stripe: read the account's status rather than wait for the webhook.</summary>
    public async Task<PayoutAccount?> RefreshAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        var account = await db.PayoutAccounts.SingleOrDefaultAsync(a => a.OwnerId == ownerId, cancellationToken);
        if (account is null || !stripe.IsConfigured)
        {
            return account;
        }

        var status = await stripe.GetAccountAsync(account.ProviderAccountId, cancellationToken);
        account.Update(status.DetailsSubmitted, status.PayoutsEnabled, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return account;
    }
}
