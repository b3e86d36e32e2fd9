namespace FleetMarket.Worker.Work;

/// <summary>
/// <c>run --once</c>: works until the server has no unit for this device (or does not let it work
/// now), then stops the worker. Any failure stops it too, with a non-zero exit code, rather than
/// retrying, because scripts and tests want a verdict. Like <c>run</c>, it first reports the device's capabilities.
/// </summary>
public sealed class RunOnceService(
    CapabilitiesReporter capabilities,
    WorkCycle cycle,
    WorkerExitCode exitCode,
    IHostApplicationLifetime lifetime,
    ILogger<RunOnceService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await capabilities.ReportAsync(stoppingToken);
            var units = 0;
            CycleOutcome outcome;
            while ((outcome = await cycle.RunAsync(waitForWork: TimeSpan.Zero, stoppingToken)).Result == CycleResult.Worked)
            {
                units++;
            }

            logger.LogInformation("Done after {Units} work unit(s): {Reason}.", units, outcome.Reason);
            exitCode.Value = ExitCodes.Success;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            exitCode.Value = ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Stopping after a failure.");
            exitCode.Value = ExitCodes.Failure;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
