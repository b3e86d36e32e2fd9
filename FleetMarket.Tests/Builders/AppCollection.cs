namespace FleetMarket.Tests.Builders;

/// <summary>
/// Tests that start the app run one class at a time: Hangfire keeps process-wide state (its storage and
/// log provider), so two apps starting side by side in one test process could take each other's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppCollection
{
    public const string Name = "app";
}
