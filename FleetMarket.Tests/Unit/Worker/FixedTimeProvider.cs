namespace FleetMarket.Tests.Unit.Worker;

/// <summary>A clock that reads the given instant until a test moves it; timers and timestamps stay real.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
