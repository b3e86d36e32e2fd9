using System.Diagnostics;
using Hangfire.Server;

namespace FleetMarket.Web.Hosting;

/// <summary>
/// A span per background task run, as Hangfire has no OpenTelemetry instrumentation of its own: the task's EF Core
/// commands and HTTP calls nest under it. Costs nothing when no tracer listens.
/// </summary>
public sealed class BackgroundTaskTracing : IServerFilter
{
    public const string SourceName = "FleetMarket.BackgroundTasks";

    private const string ActivityKey = "fleetmarket.activity";
    private static readonly ActivitySource Source = new(SourceName);

    public void OnPerforming(PerformingContext context)
    {
        var job = context.BackgroundJob.Job;
        var activity = Source.StartActivity($"{job.Type.Name}.{job.Method.Name}", ActivityKind.Internal);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("hangfire.job.id", context.BackgroundJob.Id);
        activity.SetTag("hangfire.job.type", job.Type.FullName);
        context.Items[ActivityKey] = activity;
    }

    public void OnPerformed(PerformedContext context)
    {
        if (context.Items.TryGetValue(ActivityKey, out var item) && item is Activity activity)
        {
            if (context.Exception is { } exception && !context.ExceptionHandled)
            {
                activity.SetStatus(ActivityStatusCode.Error, exception.Message);
                activity.AddException(exception);
            }

            activity.Dispose();
        }
    }
}
