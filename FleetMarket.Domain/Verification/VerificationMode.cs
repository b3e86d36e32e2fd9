namespace FleetMarket.Domain.Verification;

/// <summary>How a job's results are checked before they are accepted and paid for.</summary>
public enum VerificationMode
{
    /// <summary>Every result is accepted as the device returns it.</summary>
    None,

    /// <summary>Every unit runs on several devices of different owners; the results must agree.</summary>
    Redundancy,

    /// <summary>
    /// BOINC's adaptive replication: a device without a long run of valid results is always cross-checked by a
    /// device of another owner; a device with one is spot-checked at a low rate.
    /// </summary>
    Adaptive,
}
