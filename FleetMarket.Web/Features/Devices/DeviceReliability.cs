using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Verification;

namespace FleetMarket.Web.Features.Devices;

/// <summary>A device's record from checked results and what <see cref="Reliability"/> makes of it, for the pages that show it.</summary>
public sealed record DeviceReliability(int Valid, int Invalid, int TimedOut, int ValidStreak)
{
    public static DeviceReliability Of(Device device) =>
        new(device.ValidResults, device.InvalidResults, device.TimedOutResults, device.ValidStreak);

    /// <summary>Whether any result counted yet: before that the score is the smoothing's one half, not something the device did.</summary>
    public bool HasRecord => Valid + Invalid + TimedOut > 0;

    public double Score => Reliability.Score(Valid, Invalid, TimedOut);

    public bool IsTrusted => Reliability.IsTrusted(ValidStreak);

    public bool IsFailing => Reliability.IsFailing(Valid, Invalid, TimedOut);
}
