using System.Diagnostics.Metrics;

namespace FleetMarket.Web.Telemetry;

/// <summary>What the fleet looks like at the last sample: read from the database every few seconds, never per scrape.</summary>
/// <param name="QueuedByJob">The open jobs with the most queued units, most first: a handful, to keep the series few.</param>
public sealed record FleetState(DateTimeOffset SampledAt, int DevicesOnline, int UnitsQueued, int UnitsRunning, TimeSpan? SettlementLag,
    int PayoutsPending, IReadOnlyList<JobQueueDepth> QueuedByJob);

public sealed record JobQueueDepth(Guid JobId, string Name, int Queued, int Running);

/// <summary>
/// The marketplace's own meter: counters and a histogram the capabilities record on their paths (each a few
/// nanoseconds, no database work), and gauges that read <see cref="Fleet"/>, which the Fleet health sampler keeps.
/// Exporters (Prometheus, OTLP) and the Fleet health page all read this one meter.
/// </summary>
public sealed class MarketplaceMetrics
{
    public const string MeterName = "FleetMarket.Marketplace";

    public const string Leases = "fleetmarket.leases";
    public const string LeaseDuration = "fleetmarket.lease.duration";
    public const string Completions = "fleetmarket.completions";
    public const string ResultsRejected = "fleetmarket.results.rejected";
    public const string BytesRelayed = "fleetmarket.bytes.relayed";
    public const string BytesReadBack = "fleetmarket.bytes.read_back";

    public const string Download = "download";
    public const string Upload = "upload";

    private readonly Meter _meter;
    private readonly Counter<long> _leases;
    private readonly Histogram<double> _leaseDuration;
    private readonly Counter<long> _completions;
    private readonly Counter<long> _resultsRejected;
    private readonly Counter<long> _bytesRelayed;
    private readonly Counter<long> _bytesReadBack;

    public MarketplaceMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _leases = _meter.CreateCounter<long>(Leases, "{unit}", "Work units leased to devices.");
        _leaseDuration = _meter.CreateHistogram<double>(LeaseDuration, "s",
            "How long the marketplace took to answer a device's request for work, not counting a long poll's wait.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _completions = _meter.CreateCounter<long>(Completions, "{result}", "Results devices returned, by what became of them.");
        _resultsRejected = _meter.CreateCounter<long>(ResultsRejected, "{result}", "Results the check found wrong: not paid.");
        _bytesRelayed = _meter.CreateCounter<long>(BytesRelayed, "By", "Bytes of models, inputs and outputs passed through this web node.");
        _bytesReadBack = _meter.CreateCounter<long>(BytesReadBack, "By",
            "Bytes of outputs devices uploaded to object storage directly, read back by this web node to check them.");

        _meter.CreateObservableGauge("fleetmarket.devices.online", () => Observe(f => f.DevicesOnline), "{device}",
            "Paired devices that reported in within the offline threshold.");
        _meter.CreateObservableGauge("fleetmarket.units.queued", () => Observe(f => f.UnitsQueued), "{unit}",
            "Work units of open jobs waiting for a device.");
        _meter.CreateObservableGauge("fleetmarket.units.running", () => Observe(f => f.UnitsRunning), "{unit}",
            "Work units leased to a device right now.");
        _meter.CreateObservableGauge("fleetmarket.settlement.lag", ObserveSettlementLag, "s",
            "Age of the oldest accepted usage not yet settled on the ledger; 0 when everything is settled.");
        _meter.CreateObservableGauge("fleetmarket.payouts.pending", () => Observe(f => f.PayoutsPending), "{payout}",
            "Payouts awaiting review, approved or held: not yet paid or failed.");
        _meter.CreateObservableGauge("fleetmarket.job.units.queued", ObserveQueuedByJob, "{unit}",
            "Queued work units of the open jobs with the most waiting.");
    }

    /// <summary>This app's meter (tests run several apps in one process, each with a meter of this name).</summary>
    public Meter Meter => _meter;

    /// <summary>The last sample of the fleet; null until the first one is taken.</summary>
    public FleetState? Fleet { get; set; }

    public void Leased(int units) => _leases.Add(units);

    public void LeaseAnswered(TimeSpan took, bool granted) =>
        _leaseDuration.Record(took.TotalSeconds, new KeyValuePair<string, object?>("granted", granted));

    /// <param name="outcome">"taken" (stored and judged), "expired" (the lease ran out first) or "refused" (outputs of the wrong form).</param>
    public void Completed(string outcome, int results = 1) =>
        _completions.Add(results, new KeyValuePair<string, object?>("outcome", outcome));

    public void Rejected(int results) => _resultsRejected.Add(results);

    /// <param name="direction"><see cref="Download"/> (to a device) or <see cref="Upload"/> (from a device).</param>
    /// <summary>Outputs a device uploaded directly, read back from the store for their check: not relayed, but the node's traffic.</summary>
    public void ReadBack(long bytes) => _bytesReadBack.Add(bytes);

    public void Relayed(long bytes, string direction) =>
        _bytesRelayed.Add(bytes, new KeyValuePair<string, object?>("direction", direction));

    private IEnumerable<Measurement<int>> Observe(Func<FleetState, int> value) =>
        Fleet is { } fleet ? [new Measurement<int>(value(fleet))] : [];

    private IEnumerable<Measurement<double>> ObserveSettlementLag() =>
        Fleet is { } fleet ? [new Measurement<double>(fleet.SettlementLag?.TotalSeconds ?? 0)] : [];

    private IEnumerable<Measurement<int>> ObserveQueuedByJob() =>
        Fleet?.QueuedByJob.Select(job => new Measurement<int>(job.Queued, new KeyValuePair<string, object?>("fleetmarket.job.id", job.JobId.ToString()))) ?? [];
}
