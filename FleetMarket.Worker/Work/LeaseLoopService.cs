using FleetMarket.Worker.Api;

namespace FleetMarket.Worker.Work;

/// <summary>
/// <c>run</c>: works for as long as the worker runs. With nothing to do it asks again at once, because the
/// server holds each request for work open until some comes (long polling); while the owner's policy says no, it
/// pauses as the heartbeat interval says. After a failure it backs off, doubling up to
/// <see cref="MaxFailureBackoff"/>, or waits exactly as long as the server's <c>Retry-After</c> says. It first
/// tells the marketplace what the device can do now.
/// </summary>
public sealed class LeaseLoopService(
    CapabilitiesReporter capabilities,
    WorkCycle cycle,
    WorkerExitCode exitCode,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<LeaseLoopService> logger) : BackgroundService
{
    private static readonly TimeSpan FirstFailureBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxFailureBackoff = TimeSpan.FromSeconds(30);

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

        var backoff = FirstFailureBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var outcome = await cycle.RunAsync(WorkCycle.LongPoll, stoppingToken);
                if (outcome.Result == CycleResult.NotAllowed)
                {
                    logger.LogInformation("Idle for {Wait}: {Reason}", outcome.Wait, outcome.Reason);
                }

                wait = outcome.Wait;
                backoff = FirstFailureBackoff;
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
            catch (WorkerApiException e) when (e.RetryAfter is { } retryAfter)
            {
                logger.LogWarning("The server asks this device to wait {Wait}: {Problem}", retryAfter, e.Message);
                wait = retryAfter;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Work cycle failed; trying again in {Wait}.", backoff);
                wait = backoff;
                backoff = backoff * 2 < MaxFailureBackoff ? backoff * 2 : MaxFailureBackoff;
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
