namespace FleetMarket.Domain.Devices;

/// <summary>One device's accepted work on one model: rows (known to the server, not reported) and compute time.</summary>
public sealed record WorkSample(Guid DeviceId, string Model, long Rows, long ComputeMilliseconds, double? ClaimedScore);

/// <summary>
/// Turns real work into benchmark scores. Buyers' models are far heavier than the reference model, so rows per
/// second on a job say nothing by themselves about a score; but on one model, devices' speeds should stand in the
/// ratio of their scores. So each model is calibrated by the other devices that ran it (the median of their claimed
/// score per row per second, the lower one of an even count), and a device's speed on it, times that, is the score its work implies. Devices alone
/// on their models give no evidence; a device that lies with its peers' help needs most of them lying alike.
/// </summary>
public static class PeerCalibration
{
    /// <summary>The implied score of every device with evidence, weighted over models by compute time.</summary>
    public static IReadOnlyDictionary<Guid, MeasuredScore> Estimate(IReadOnlyCollection<WorkSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var usable = samples.Where(s => s.Rows > 0 && s.ComputeMilliseconds > 0).ToList();
        var byModel = usable.ToLookup(s => s.Model);
        var estimates = new Dictionary<Guid, MeasuredScore>();
        foreach (var device in usable.GroupBy(s => s.DeviceId))
        {
            double weighted = 0;
            long evidence = 0;
            foreach (var sample in device)
            {
                var ratios = byModel[sample.Model]
                    .Where(peer => peer.DeviceId != device.Key && peer.ClaimedScore > 0)
                    .Select(peer => peer.ClaimedScore!.Value / RowsPerSecond(peer))
                    .ToList();
                if (ratios.Count == 0)
                {
                    continue;
                }

                weighted += LowerMedian(ratios) * RowsPerSecond(sample) * sample.ComputeMilliseconds;
                evidence += sample.ComputeMilliseconds;
            }

            if (evidence > 0)
            {
                estimates[device.Key] = new MeasuredScore(weighted / evidence, evidence);
            }
        }

        return estimates;
    }

    private static double RowsPerSecond(WorkSample sample) => sample.Rows * 1000.0 / sample.ComputeMilliseconds;

    /// <summary>
    /// Of two peers, the one claiming less per row: an overclaiming peer has the higher ratio, so one liar beside one
    /// honest device cannot lift the calibration.
    /// </summary>
    private static double LowerMedian(List<double> values)
    {
        values.Sort();
        return values[(values.Count - 1) / 2];
    }
}
