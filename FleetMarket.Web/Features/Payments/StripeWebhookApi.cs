using FleetMarket.Web.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;

namespace FleetMarket.Web.Features.Payments;

/// <summary>
/// Stripe's webhook: the signature is checked first, then each event is handled once, by the handler for
/// its type, in the same transaction that records it as processed.
/// </summary>
public static class StripeWebhookApi
{
    public const string Route = "/api/stripe/webhook";

    public static IEndpointRouteBuilder MapStripeWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, ReceiveAsync).DisableAntiforgery().WithTags("Stripe");
        return app;
    }

    public static async Task<Results<Ok, ProblemHttpResult>> ReceiveAsync(HttpRequest request, IOptions<StripeOptions> options,
        IEnumerable<IStripeEventHandler> handlers, FleetDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var secret = options.Value.WebhookSecret;
        if (string.IsNullOrWhiteSpace(secret))
        {
            return TypedResults.Problem("Stripe webhooks are not configured here.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        // Stripe.net fails with a NullReferenceException, not a StripeException, when the header is missing.
        var signature = request.Headers["Stripe-Signature"].ToString();
        if (string.IsNullOrWhiteSpace(signature))
        {
            return TypedResults.Problem("The webhook carries no Stripe-Signature header.", statusCode: StatusCodes.Status400BadRequest);
        }

        var json = await new StreamReader(request.Body).ReadToEndAsync(cancellationToken);
        Event stripeEvent;
        try
        {
            // Events keep the API version of the endpoint that sent them; the payloads we read are stable across versions.
            stripeEvent = EventUtility.ConstructEvent(json, signature, secret, throwOnApiVersionMismatch: false);
        }
        catch (StripeException exception)
        {
            return TypedResults.Problem($"The webhook signature does not verify: {exception.Message}", statusCode: StatusCodes.Status400BadRequest);
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidOperationException)
        {
            // Stripe.net reads the body as JSON and expects an object: a signed body that is neither is a caller's mistake.
            return NotAnEvent();
        }

        if (stripeEvent is not { Id.Length: > 0, Type.Length: > 0, Data.Object: not null })
        {
            return NotAnEvent();
        }

        if (await db.Set<ProcessedStripeEvent>().AnyAsync(e => e.Id == stripeEvent.Id, cancellationToken))
        {
            return TypedResults.Ok();
        }

        foreach (var handler in handlers.Where(h => h.EventType == stripeEvent.Type))
        {
            await handler.HandleAsync(stripeEvent, cancellationToken);
        }

        db.Set<ProcessedStripeEvent>().Add(new ProcessedStripeEvent { Id = stripeEvent.Id, Type = stripeEvent.Type, ProcessedAt = time.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same event, delivered twice at once, may have been handled by the other request.
            if (!await db.Set<ProcessedStripeEvent>().AsNoTracking().AnyAsync(e => e.Id == stripeEvent.Id, cancellationToken))
            {
                throw;
            }
        }

        return TypedResults.Ok();
    }

    private static ProblemHttpResult NotAnEvent() =>
        TypedResults.Problem("The webhook body is not a Stripe event: it needs an id, a type and a data object, as JSON.",
            statusCode: StatusCodes.Status400BadRequest, title: "The request is malformed.");
}
