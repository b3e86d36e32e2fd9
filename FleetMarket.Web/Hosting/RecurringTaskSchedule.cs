using FleetMarket.Web.Blobs;
using FleetMarket.Web.Features.Finance;
using FleetMarket.Web.Features.Payouts;
using FleetMarket.Web.Features.Settlement;
using FleetMarket.Web.Features.WorkerProtocol;
using Hangfire;

namespace FleetMarket.Web.Hosting;

/// <summary>Registers the recurring background tasks under stable ids at start, so every node agrees on one schedule.</summary>
internal sealed class RecurringTaskSchedule(IRecurringJobManager recurring) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<SettlementTask>(SettlementTask.Id, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        recurring.AddOrUpdate<LeaseSweepTask>(LeaseSweepTask.Id, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        recurring.AddOrUpdate<UploadSweepTask>(UploadSweepTask.Id, job => job.RunAsync(CancellationToken.None), Cron.Hourly());
        recurring.AddOrUpdate<PayoutRunTask>(PayoutRunTask.Id, job => job.RunAsync(CancellationToken.None), Cron.Daily(6));
        recurring.AddOrUpdate<ReconcileStripeTask>(ReconcileStripeTask.Id, job => job.RunAsync(CancellationToken.None), Cron.Daily(7));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
