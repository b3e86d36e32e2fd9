using Bunit;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Verification;
using FleetMarket.Web.Components.Pages.Buyer;
using FleetMarket.Web.Features.Jobs;

namespace FleetMarket.Tests.Components;

public sealed class JobCardTests : MudTestContext
{
    [Fact]
    public void JobCard_RunningJob_ShowsProgressAndNoDownload()
    {
        var card = Render<JobCard>(p => p.Add(c => c.Job, Job(JobStatus.Running, done: 1, running: 1, queued: 2)));

        Assert.Contains("1 of 4 units done", card.Find("[role=progressbar]").GetAttribute("aria-label"));
        Assert.Contains("1 done · 1 running · 2 queued", card.Markup);
        Assert.Empty(card.FindAll("a[download]"));
    }

    [Fact]
    public void JobCard_VerifiedJob_SaysHowItIsCheckedWhatTheChecksCostAndWhatWasRejected()
    {
        var job = Job(JobStatus.Running, done: 2, running: 1, queued: 1) with { Checks = 3, Rejected = 1 };

        var card = Render<JobCard>(p => p.Add(c => c.Job, job));

        Assert.Equal("Verified: adaptive", card.Find("[data-testid=job-verification]").TextContent.Trim());
        Assert.Contains("3 checks on other owners' devices", card.Find("[data-testid=job-checks]").TextContent);
        Assert.Contains("1 wrong result rejected, not billed", card.Find("[data-testid=job-rejected]").TextContent);
    }

    [Fact]
    public void JobCard_UncheckedJob_SaysSoAndShowsNoChecks()
    {
        var card = Render<JobCard>(p => p.Add(c => c.Job, Job(JobStatus.Running, done: 1, running: 1, queued: 2) with { Verification = VerificationMode.None }));

        Assert.Equal("Not verified", card.Find("[data-testid=job-verification]").TextContent.Trim());
        Assert.Empty(card.FindAll("[data-testid=job-checks]"));
    }

    [Fact]
    public void JobCard_RunningJobWithProgress_EstimatesTimeLeftFromThePaceSoFar()
    {
        // Submitted an hour ago, waited fifty minutes for a device, then 200 of 800 rows in ten minutes: 20 rows/min,
        // 600 to go, about 30 minutes; not the three hours the wait would make of it.
        var now = DateTimeOffset.UtcNow;
        var job = Job(JobStatus.Running, done: 2, running: 1, queued: 5) with
        {
            Units = 8,
            Rows = 800,
            RowsDone = 200,
            CreatedAt = now.AddMinutes(-60),
            StartedAt = now.AddMinutes(-10),
        };

        var card = Render<JobCard>(p => p.Add(c => c.Job, job));

        var pace = card.Find("[data-testid=pace]").TextContent;
        Assert.Contains("20 rows/min", pace);
        Assert.Contains("about 30 min left", pace);
    }

    [Fact]
    public void JobCard_RunningJob_OffersCancel_AndPassesTheJobBack()
    {
        JobProgress? cancelled = null;
        var job = Job(JobStatus.Running, done: 1, running: 1, queued: 2);
        var card = Render<JobCard>(p => p.Add(c => c.Job, job).Add(c => c.OnCancel, (JobProgress j) => cancelled = j));

        card.FindAll("button").Single(b => b.TextContent.Contains("Cancel job")).Click();

        Assert.Equal(job, cancelled);
    }

    [Fact]
    public void JobCard_CompletedJob_OffersNoCancel()
    {
        var card = Render<JobCard>(p => p.Add(c => c.Job, Job(JobStatus.Completed, 4, 0, 0)).Add(c => c.OnCancel, (JobProgress _) => { }));

        Assert.DoesNotContain(card.FindAll("button"), b => b.TextContent.Contains("Cancel job"));
    }

    [Fact]
    public void JobCard_CompletedJob_OffersTheOutputsForDownload()
    {
        var job = Job(JobStatus.Completed, done: 4, running: 0, queued: 0);

        var card = Render<JobCard>(p => p.Add(c => c.Job, job));

        var link = card.Find("a[download]");
        Assert.Equal($"api/jobs/{job.Id}/outputs", link.GetAttribute("href"));
        Assert.Contains("outputs.npy", link.TextContent);
        Assert.Contains("USD 0.40", card.Markup);
    }

    [Fact]
    public void JobCard_FailedJob_SaysWhy()
    {
        var job = Job(JobStatus.Failed, done: 3, running: 0, queued: 0) with { Failed = 1, FailureReason = "1 of 4 units failed" };

        var card = Render<JobCard>(p => p.Add(c => c.Job, job));

        Assert.Contains("1 of 4 units failed", card.Find(".mud-alert").TextContent);
    }

    [Fact]
    public void JobCard_NormalPriorityOnDemandJob_ShowsNoPriorityOrReservation()
    {
        var card = Render<JobCard>(p => p.Add(c => c.Job, Job(JobStatus.Queued, done: 0, running: 0, queued: 4)));

        Assert.Empty(card.FindAll("[data-testid=job-priority]"));
        Assert.Empty(card.FindAll("[data-testid=job-reservation]"));
    }

    [Theory]
    [InlineData(JobPriority.High, "High priority")]
    [InlineData(JobPriority.Low, "Low priority")]
    public void JobCard_PriorityOtherThanNormal_IsShown(JobPriority priority, string shown)
    {
        var job = Job(JobStatus.Queued, done: 0, running: 0, queued: 4) with { Priority = priority };

        var card = Render<JobCard>(p => p.Add(c => c.Job, job));

        Assert.Equal(shown, card.Find("[data-testid=job-priority]").TextContent.Trim());
    }

    [Fact]
    public void JobCard_JobOnAReservation_NamesTheReservation()
    {
        var job = Job(JobStatus.Running, done: 1, running: 1, queued: 2) with { ReservationId = Guid.NewGuid() };

        var card = Render<JobCard>(p => p.Add(c => c.Job, job).Add(c => c.ReservationName, "Nightly capacity"));

        Assert.Equal("Reservation: Nightly capacity", card.Find("[data-testid=job-reservation]").TextContent.Trim());
        Assert.Contains("from the reservation", card.Markup);
        Assert.DoesNotContain("held", card.Markup);
    }

    [Fact]
    public void JobCard_JobOnAReservationTheCardCannotName_StillSaysItIsReserved()
    {
        var job = Job(JobStatus.Running, done: 1, running: 1, queued: 2) with { ReservationId = Guid.NewGuid() };

        var card = Render<JobCard>(p => p.Add(c => c.Job, job));

        Assert.Equal("Reserved capacity", card.Find("[data-testid=job-reservation]").TextContent.Trim());
    }

    [Fact]
    public void JobCard_PausedJob_SaysWhyAndWhereToTopUp_AndShowsTheExactSpend()
    {
        var job = Job(JobStatus.Paused, done: 1, running: 0, queued: 3) with
        {
            PauseReason = "Paused: the job costs more than estimated. Top up your balance and the job resumes.",
        };

        var card = Render<JobCard>(p => p.Add(c => c.Job, job));

        Assert.Equal("Paused", card.Find(".job-card-head .mud-chip").TextContent.Trim());
        var reason = card.Find("[data-testid=pause-reason]");
        Assert.Contains("costs more than estimated", reason.TextContent);
        Assert.Equal("buyer/balance", reason.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("spent USD 0.40123456 of USD 1.00 held", card.Find("[data-testid=job-spent]").TextContent);
    }

    [Theory]
    [InlineData(false, "the rest of its hold returns to your balance at settlement")]
    [InlineData(true, "the rest of its hold is back in your balance")]
    public void JobCard_FinishedJob_SaysWhetherTheRestOfItsHoldIsBackYet(bool settled, string says)
    {
        var job = Job(JobStatus.Completed, done: 4, running: 0, queued: 0) with { HoldReturned = settled };

        var card = Render<JobCard>(p => p.Add(c => c.Job, job));

        Assert.Contains(says, card.Find("[data-testid=job-spent]").TextContent);
    }

    private static JobProgress Job(JobStatus status, int done, int running, int queued) => new(
        Guid.NewGuid(), "Nightly scoring", status, JobPriority.Normal, ReservationId: null, Units: 4, Queued: queued, Running: running, Done: done, Failed: 0,
        Checks: 0, Rejected: 0, Verification: VerificationMode.Adaptive, Rows: 16,
        HeldMinor: 100, SpentMinor: 40, SpentMicros: 40_123_456, Currency: "USD", CreatedAt: DateTimeOffset.UnixEpoch, CompletedAt: null,
        FailureReason: null, OutputFileName: status == JobStatus.Completed ? "outputs.npy" : null);
}
