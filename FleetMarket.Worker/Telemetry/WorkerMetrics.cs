using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FleetMarket.Worker.Telemetry;

/// <summary>
/// The worker's meter and spans: units run and what became of them, rows, and the time each unit spent in ONNX
/// Runtime and in its upload. Recorded always (a few nanoseconds each); exported only when an OTLP endpoint is set.
/// </summary>
public sealed class WorkerMetrics
{
    public const string MeterName = "FleetMarket.Worker";

    public const string Accepted = "accepted";
    public const string NotAccepted = "not_accepted";
    public const string Refused = "refused";
    public const string GivenBack = "given_back";

    /// <summary>The worker's own spans: a unit's inference; HTTP calls to the marketplace come from HttpClient's instrumentation.</summary>
    public static readonly ActivitySource Source = new(MeterName);

    private readonly Counter<long> _units;
    private readonly Counter<long> _rows;
    private readonly Histogram<double> _inference;
    private readonly Histogram<double> _upload;

    public WorkerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _units = meter.CreateCounter<long>("fleetmarket.worker.units", "{unit}", "Work units this device finished with, by what became of them.");
        _rows = meter.CreateCounter<long>("fleetmarket.worker.rows", "{row}", "Rows run through ONNX Runtime.");
        _inference = meter.CreateHistogram<double>("fleetmarket.worker.inference.duration", "s", "A unit's run through ONNX Runtime and its outputs' encoding.");
        _upload = meter.CreateHistogram<double>("fleetmarket.worker.upload.duration", "s", "An upload of one or more results.");
    }

    public void Ran(TimeSpan took, int rows)
    {
        _inference.Record(took.TotalSeconds);
        _rows.Add(rows);
    }

    public void Uploaded(TimeSpan took) => _upload.Record(took.TotalSeconds);

    /// <param name="outcome"><see cref="Accepted"/>, <see cref="NotAccepted"/>, <see cref="Refused"/> or <see cref="GivenBack"/>.</param>
    public void Finished(string outcome) => _units.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
