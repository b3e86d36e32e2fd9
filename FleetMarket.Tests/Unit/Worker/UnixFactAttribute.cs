namespace FleetMarket.Tests.Unit.Worker;

/// <summary>A fact about Unix behaviour (file modes, sysfs), skipped on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix only";
        }
    }
}
