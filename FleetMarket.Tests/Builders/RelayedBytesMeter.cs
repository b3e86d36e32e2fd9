using System.Diagnostics.Metrics;
using FleetMarket.Web.Telemetry;

namespace FleetMarket.Tests.Builders;

/// <summary>
/// The bytes the app's web node relayed between devices and its blob store, and read back from object storage to check
/// uploads, as its meter reports them while this listener lives. Apps run one at a time in tests (<see cref="AppCollection"/>).
/// </summary>
public sealed class RelayedBytesMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _relayed;
    private long _readBack;

    public RelayedBytesMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MarketplaceMetrics.MeterName && instrument.Name is MarketplaceMetrics.BytesRelayed or MarketplaceMetrics.BytesReadBack)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, bytes, _, _) =>
            Interlocked.Add(ref instrument.Name == MarketplaceMetrics.BytesRelayed ? ref _relayed : ref _readBack, bytes));
        _listener.Start();
    }

    public long Relayed => Interlocked.Read(ref _relayed);

    public long ReadBack => Interlocked.Read(ref _readBack);

    public void Dispose() => _listener.Dispose();
}
