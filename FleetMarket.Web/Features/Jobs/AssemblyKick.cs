using System.Threading.Channels;
using Hangfire;

namespace FleetMarket.Web.Features.Jobs;

/// <summary>
/// Assembles a job's outputs on this node as soon as its last unit is accepted. The background task enqueued beside
/// it stays the durable path (a crash before this runs loses nothing), but Hangfire's storage is polled, which
/// added up to a second to every job a buyer waited on. Running both is harmless: assembly is idempotent.
/// </summary>
public sealed class AssemblyKick(IServiceScopeFactory scopes, IBackgroundJobClient backgroundJobs, ILogger<AssemblyKick> logger) : BackgroundService
{
    /// <summary>
    /// When the background task behind an immediate follow-up runs: enqueued at once, it ran beside the immediate one
    /// whenever that took over a second, doing large assemblies twice.
    /// </summary>
    public static readonly TimeSpan DurableFollowUpDelay = TimeSpan.FromSeconds(30);

    private readonly Channel<Guid> _jobs = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Assembles the job's outputs now, on this node, and schedules the durable background task behind it.</summary>
    public void Assemble(Guid jobId)
    {
        backgroundJobs.Schedule<JobAssembler>(assembler => assembler.AssembleAsync(jobId, CancellationToken.None), DurableFollowUpDelay);
        _jobs.Writer.TryWrite(jobId);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var jobId in _jobs.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<JobAssembler>().AssembleAsync(jobId, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Assembling job {JobId} at once failed; its background task will retry.", jobId);
            }
        }
    }
}
