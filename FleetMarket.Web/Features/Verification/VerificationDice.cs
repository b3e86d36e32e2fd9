namespace FleetMarket.Web.Features.Verification;

/// <summary>The chance behind spot checks; a service so tests can load the dice.</summary>
public class VerificationDice
{
    /// <summary>A number in [0, 1).</summary>
    public virtual double Roll() => Random.Shared.NextDouble();
}
