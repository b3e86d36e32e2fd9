using FleetMarket.Web.Features.Settlement;
using FleetMarket.Web.Jobs;
using Hangfire;

namespace FleetMarket.Web.Hosting;

/// <summary>Registers the recurring jobs under stable ids at start, so every node agrees on one schedule.</summary>
internal sealed class RecurringJobRegistration(IRecurringJobManager recurring) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<SettlementJob>(SettlementJob.Id, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        recurring.AddOrUpdate<LeaseSweepJob>(LeaseSweepJob.Id, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        recurring.AddOrUpdate<PayoutRunJob>(PayoutRunJob.Id, job => job.RunAsync(CancellationToken.None), Cron.Daily(6));
        recurring.AddOrUpdate<ReconcileStripeJob>(ReconcileStripeJob.Id, job => job.RunAsync(CancellationToken.None), Cron.Daily(7));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
