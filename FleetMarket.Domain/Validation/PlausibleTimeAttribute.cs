using System.ComponentModel.DataAnnotations;

namespace FleetMarket.Domain.Validation;

/// <summary>
/// A moment in this century. A JSON body that leaves a <see cref="DateTimeOffset"/> out binds it to
/// 0001-01-01, which <see cref="RequiredAttribute"/> cannot tell from a value sent; this can.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PlausibleTimeAttribute : ValidationAttribute
{
    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public PlausibleTimeAttribute()
        : base("The field {0} is required: a date and time between the years 2000 and 2100.")
    {
    }

    public override bool IsValid(object? value) => value is not DateTimeOffset time || (time >= Earliest && time < Latest);
}
