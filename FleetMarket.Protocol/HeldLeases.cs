using System.ComponentModel.DataAnnotations;

namespace FleetMarket.Protocol;

/// <summary>
/// Sent by a worker as it starts: every lease the device still holds goes back to the queue at once, except
/// those in <see cref="Keep"/> (results the worker kept on disk and is about to deliver). A device that crashed
/// mid-unit thus returns its work in seconds instead of letting it wait out the lease.
/// </summary>
public sealed record ReleaseHeldRequest([MaxLength(ReleaseHeldRequest.MaxKeep)] IReadOnlyList<Guid>? Keep = null)
{
    /// <summary>More results than a worker ever keeps; bounds the request's cost.</summary>
    public const int MaxKeep = 1000;
}

/// <summary>How many leases went back to the queue.</summary>
public sealed record ReleaseHeldResponse(int Released);
