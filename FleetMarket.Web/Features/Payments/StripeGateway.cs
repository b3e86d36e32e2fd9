using Microsoft.Extensions.Options;
using Stripe;

namespace FleetMarket.Web.Features.Payments;

public sealed record ConnectedAccountStatus(string AccountId, bool DetailsSubmitted, bool PayoutsEnabled);

public sealed record StripeTransfer(string Id, long AmountMinor, string Currency, string Destination, string? PayoutId, bool Reversed);

/// <summary>The one place that talks to Stripe. Callers see marketplace terms, not Stripe.net types.</summary>
public sealed class StripeGateway(IOptions<StripeOptions> options)
{
    private readonly Lazy<IStripeClient> _client = new(() => CreateClient(options.Value));

    public bool IsConfigured => options.Value.IsConfigured;

    /// <summary>An Express account for an owner; the idempotency key makes a retried request create one account.</summary>
    public async Task<string> CreateExpressAccountAsync(string ownerId, string email, CancellationToken cancellationToken)
    {
        var account = await new AccountService(_client.Value).CreateAsync(new AccountCreateOptions
        {
            Type = "express",
            Email = email,
            Metadata = new Dictionary<string, string> { ["owner_id"] = ownerId },
        }, new RequestOptions { IdempotencyKey = $"express-account-{ownerId}" }, cancellationToken);
        return account.Id;
    }

    public async Task<string> CreateOnboardingLinkAsync(string accountId, string refreshUrl, string returnUrl,
        CancellationToken cancellationToken)
    {
        var link = await new AccountLinkService(_client.Value).CreateAsync(new AccountLinkCreateOptions
        {
            Account = accountId,
            Type = "account_onboarding",
            RefreshUrl = refreshUrl,
            ReturnUrl = returnUrl,
        }, cancellationToken: cancellationToken);
        return link.Url;
    }

    /// <summary>A hosted Checkout page that charges the buyer <paramref name="amountMinor"/> for a balance top-up.</summary>
    public async Task<string> CreateTopUpCheckoutAsync(string buyerId, long amountMinor, string currency, string successUrl,
        string cancelUrl, CancellationToken cancellationToken)
    {
        var session = await new Stripe.Checkout.SessionService(_client.Value).CreateAsync(new Stripe.Checkout.SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = buyerId,
            SuccessUrl = successUrl,
            CancelUrl = cancelUrl,
            LineItems =
            [
                new Stripe.Checkout.SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new Stripe.Checkout.SessionLineItemPriceDataOptions
                    {
                        Currency = currency.ToLowerInvariant(),
                        UnitAmount = amountMinor,
                        ProductData = new Stripe.Checkout.SessionLineItemPriceDataProductDataOptions { Name = "FleetMarket balance top-up" },
                    },
                },
            ],
            Metadata = new Dictionary<string, string> { ["buyer_id"] = buyerId, ["purpose"] = "top-up" },
        }, cancellationToken: cancellationToken);
        return session.Url;
    }

    /// <summary>
    /// Moves a payout to the owner's connected account. The payout's id is the idempotency key: however often
    /// this is retried (a crash, a second node), Stripe makes one transfer and answers the same each time.
    /// </summary>
    public async Task<StripeTransfer> TransferAsync(Guid payoutId, long amountMinor, string currency, string destination,
        CancellationToken cancellationToken)
    {
        var transfer = await new TransferService(_client.Value).CreateAsync(new TransferCreateOptions
        {
            Amount = amountMinor,
            Currency = currency.ToLowerInvariant(),
            Destination = destination,
            TransferGroup = $"payout-{payoutId}",
            Metadata = new Dictionary<string, string> { ["payout_id"] = payoutId.ToString() },
        }, new RequestOptions { IdempotencyKey = $"payout-{payoutId}" }, cancellationToken);
        return Describe(transfer);
    }

    /// <summary>The platform's transfers created since <paramref name="since"/>, every page of them.</summary>
    public async Task<IReadOnlyList<StripeTransfer>> TransfersSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var transfers = new List<StripeTransfer>();
        var listing = new TransferService(_client.Value).ListAutoPagingAsync(
            new TransferListOptions { Created = new DateRangeOptions { GreaterThanOrEqual = since.UtcDateTime }, Limit = 100 },
            cancellationToken: cancellationToken);
        await foreach (var transfer in listing.WithCancellation(cancellationToken))
        {
            transfers.Add(Describe(transfer));
        }

        return transfers;
    }

    public static StripeTransfer Describe(Transfer transfer) => new(transfer.Id, transfer.Amount, transfer.Currency.ToUpperInvariant(),
        transfer.DestinationId, transfer.Metadata?.GetValueOrDefault("payout_id"), transfer.Reversed);

    public async Task<ConnectedAccountStatus> GetAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        var account = await new AccountService(_client.Value).GetAsync(accountId, cancellationToken: cancellationToken);
        return StatusOf(account);
    }

    public static ConnectedAccountStatus StatusOf(Account account) =>
        new(account.Id, account.DetailsSubmitted, account.PayoutsEnabled);

    private static IStripeClient CreateClient(StripeOptions options)
    {
        if (!options.IsConfigured)
        {
            throw new InvalidOperationException("Stripe is not configured: set Stripe:SecretKey.");
        }

        var clientOptions = new StripeClientOptions { ApiKey = options.SecretKey };
        if (!string.IsNullOrWhiteSpace(options.ApiBase))
        {
            clientOptions.ApiBase = clientOptions.ConnectBase = clientOptions.FilesBase = options.ApiBase;
        }

        return new StripeClient(clientOptions);
    }
}
