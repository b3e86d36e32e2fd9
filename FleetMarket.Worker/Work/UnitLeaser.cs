using System.Net;
using FleetMarket.Protocol;
using FleetMarket.Worker.Api;

namespace FleetMarket.Worker.Work;

/// <summary>
/// Asks the server for work units, a few at a time (<see cref="WorkerRoutes.Leases"/>), so that the next unit is in
/// hand while one runs. A server from before batched leases answers 404; from then on this process asks it for one
/// unit at a time (<see cref="WorkerRoutes.Lease"/>), and completes results one at a time, as such a server expects.
/// </summary>
public sealed class UnitLeaser(WorkerApiClient api, ILogger<UnitLeaser> logger)
{
    /// <summary>
    /// One unit running, the next fetched, one more coming: enough to hide the fetch and the upload behind the run,
    /// without holding units another device could start on now.
    /// </summary>
    public const int BatchSize = 3;

    private volatile bool _serverTakesBatches = true;

    /// <summary>False once the server has shown it predates batched leases and completions.</summary>
    public bool ServerTakesBatches => _serverTakesBatches;

    /// <summary>How many units one request asks for.</summary>
    public int UnitsPerRequest => _serverTakesBatches ? BatchSize : 1;

    /// <summary>The units, in run order; none when the server has none within <paramref name="wait"/>.</summary>
    public async Task<IReadOnlyList<WorkUnitLease>> LeaseAsync(DeviceConditions conditions, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_serverTakesBatches)
        {
            try
            {
                return await api.LeaseManyAsync(conditions, wait, BatchSize, cancellationToken);
            }
            catch (WorkerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                logger.LogInformation("The server does not hand out units in batches; asking for one at a time.");
                _serverTakesBatches = false;
            }
        }

        return await api.LeaseAsync(conditions, wait, cancellationToken) is { } lease ? [lease] : [];
    }
}
