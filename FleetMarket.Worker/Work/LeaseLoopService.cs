using FleetMarket.Worker.Api;

namespace FleetMarket.Worker.Work;

/// <summary>
/// <c>run</c>: works for as long as the worker runs, pausing as the server's heartbeat interval says
/// when there is nothing to do, and backing off after failures instead of giving up. It first tells the
/// marketplace what the device can do now.
/// </summary>
public sealed class LeaseLoopService(
    CapabilitiesReporter capabilities,
    WorkCycle cycle,
    WorkerExitCode exitCode,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<LeaseLoopService> logger) : BackgroundService
{
    private static readonly TimeSpan FailureBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await capabilities.ReportAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var outcome = await cycle.RunAsync(stoppingToken);
                if (outcome.Result != CycleResult.Worked)
                {
                    logger.LogInformation("Idle for {Wait}: {Reason}", outcome.Wait, outcome.Reason);
                }

                wait = outcome.Wait;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (WorkerApiException e) when (e.IsCredentialRejected)
            {
                logger.LogCritical("The marketplace rejected this device's credential ({Problem}); pair the device again.", e.Message);
                exitCode.Value = ExitCodes.Failure;
                lifetime.StopApplication();
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Work cycle failed; trying again in {Wait}.", FailureBackoff);
                wait = FailureBackoff;
            }

            try
            {
                await Task.Delay(wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
