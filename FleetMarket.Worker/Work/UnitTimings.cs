namespace FleetMarket.Worker.Work;

/// <summary>The phases of one unit.</summary>
public sealed class UnitTimings
{
    public TimeSpan Fetch { get; set; }

    public TimeSpan Decode { get; set; }

    /// <summary>ONNX Runtime's run and the outputs' encoding.</summary>
    public TimeSpan Run { get; set; }

    /// <summary>Kept on disk and uploaded, with whatever results went in the same request.</summary>
    public TimeSpan Upload { get; set; }

    public override string ToString() =>
        $"fetch {Fetch.TotalMilliseconds:F1} ms, decode {Decode.TotalMilliseconds:F1} ms, run {Run.TotalMilliseconds:F1} ms, upload {Upload.TotalMilliseconds:F1} ms";
}
