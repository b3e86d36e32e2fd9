using System.ComponentModel.DataAnnotations;

namespace FleetMarket.Web.Hosting;

/// <summary>This node's Hangfire server; from configuration section "BackgroundTasks".</summary>
public sealed class BackgroundTaskOptions
{
    public const string Section = "BackgroundTasks";

    /// <summary>
    /// How often the server looks for due recurring tasks, delayed tasks and retries (Hangfire's default is 15 s).
    /// Every node polls; a distributed lock in the storage lets one of them enqueue each occurrence.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(15);
}
