using FleetMarket.Domain.Devices;

namespace FleetMarket.Web.Components.Shared;

/// <summary>A benchmark score as a device's speed beside the reference device's (<see cref="DeviceScore.ReferenceScore"/>).</summary>
public static class SpeedText
{
    /// <summary>"2.5×", "0.85×", "&lt; 0.01×": two decimals below 1, one above.</summary>
    public static string Relative(double score) => (score / DeviceScore.ReferenceScore) switch
    {
        < 0.01 => "< 0.01×",
        var ratio and < 1 => $"{ratio:0.0#}×",
        var ratio => $"{ratio:0.#}×",
    };

    /// <summary>What a relative speed means, for a title or a caption.</summary>
    public static string Explain(double score) =>
        $"{score:N0} inferences a second of the benchmark model; 1.0× is the reference device ({DeviceScore.ReferenceScore:N0} a second)";
}
