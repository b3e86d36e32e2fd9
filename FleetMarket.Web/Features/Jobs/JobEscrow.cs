using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Pricing;
using FleetMarket.Domain.Settlement;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Ledger;
using FleetMarket.Web.Marketplace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MoneyAmount = FleetMarket.Domain.Money.Money;

namespace FleetMarket.Web.Features.Jobs;

/// <summary>
/// An on-demand job's escrow: sized from an estimate when the job is submitted, topped up from the buyer's balance
/// when its spending outruns the estimate, and the job paused (no new units) when the balance cannot cover that; a
/// top-up of the balance resumes it. What is left is released at settlement once the job is over
/// (settle-usage). Reservation jobs are paid from their reservation's escrow and never come here.
/// </summary>
public sealed class JobEscrow(FleetDbContext db, EscrowHolds holds, TimeProvider time,
    IOptions<MarketplaceOptions> marketplace)
{
    /// <summary>
    /// The first hold of a job: cost per row (<paramref name="millisecondsPerRow"/>, the model's measured median;
    /// for a model never run, the probe's assumption that <see cref="MarketplaceOptions.DefaultRowsPerUnit"/> rows take
    /// <see cref="MarketplaceOptions.UnitTargetDuration"/>) × rows × the dearest price a device that may take the job
    /// asks × the runs verification pays for × the margin; at least the minimum.
    /// </summary>
    public async Task<(long HoldMinor, long MicrosPerRow)> EstimateAsync(InferenceJob job, double? millisecondsPerRow,
        CancellationToken cancellationToken)
    {
        var settings = marketplace.Value;
        var perRow = millisecondsPerRow ?? settings.UnitTargetDuration.TotalMilliseconds / settings.DefaultRowsPerUnit;
        var price = await BestPriceAsync(job, cancellationToken);
        var microsPerRow = JobHolds.MicrosPerRow(perRow, price, job.Verification.ExpectedRunsBasisPoints);
        return (JobHolds.HoldMinor(microsPerRow, job.RowCount, settings.HoldMarginPercent, settings.MinimumJobHoldMinor), microsPerRow);
    }

    /// <summary>
    /// The highest asking price among the paired, unsuspended devices whose price the job accepts: dispatch may give
    /// every unit to the dearest of them. With none listed yet, the job's own maximum.
    /// </summary>
    private async Task<long> BestPriceAsync(InferenceJob job, CancellationToken cancellationToken) =>
        await db.Devices.AsNoTracking()
            .Where(d => d.CredentialHash != null && d.Status != DeviceStatus.Suspended && d.Currency == job.Currency
                        && d.AskingPricePerHourMinor <= job.MaxPricePerHourMinor)
            .MaxAsync(d => (long?)d.AskingPricePerHourMinor, cancellationToken)
        ?? job.MaxPricePerHourMinor;

    /// <summary>
    /// Before a completion pays for <paramref name="pendingMicros"/> of accepted work: what the job's hold has left, in
    /// whole minor units, the most that work may be charged. When that runs low, the hold is looked at
    /// (<see cref="JobHolds.Review"/>) and a top-up staged in the caller's unit of work, or, when the balance cannot
    /// cover it, the job paused at once. Reads the committed spending only, and only rarely more than the job's meters.
    /// </summary>
    /// <param name="job">The job as the completion read it; its hold may since have grown, never shrunk.</param>
    /// <param name="newRows">Rows this completion accepts for the first time (not a late check of an accepted unit).</param>
    public async Task<long> KeepFundedAsync(InferenceJob job, long pendingMicros, int newRows, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var spent = await SpentAsync(job.Id, cancellationToken);
        var fundsLeft = job.HeldMinor - spent.ChargedMinor;
        var pendingMinor = (pendingMicros + UsagePricing.MicrosPerMinor - 1) / UsagePricing.MicrosPerMinor;

        // Only a job still taking units is topped up: a paused one waits for its buyer, and a cancelled one's last
        // running units are paid from what it holds.
        if (!InferenceJob.CanPause(job.Status) || fundsLeft - pendingMinor >= job.HoldReviewBelowMinor)
        {
            return fundsLeft;
        }

        var tracked = await db.Jobs.SingleAsync(j => j.Id == job.Id, cancellationToken);
        fundsLeft = tracked.HeldMinor - spent.ChargedMinor;
        var review = JobHolds.Review(tracked.HeldMinor, spent.Micros + pendingMicros,
            await RowsDoneAsync(job.Id, cancellationToken) + newRows, tracked.RowCount, tracked.EstimatedMicrosPerRow,
            marketplace.Value.HoldMarginPercent);
        if (review.TopUpMinor > 0)
        {
            var (staged, balance) = await holds.TryStageHoldAsync(tracked.BuyerId,
                SettlementEntries.TopUpJobHold(tracked, review.TopUpMinor, tracked.HoldTopUps + 1, now),
                new MoneyAmount(review.TopUpMinor, tracked.Currency), cancellationToken);
            if (staged)
            {
                tracked.TopUpHold(review.TopUpMinor);
                fundsLeft += review.TopUpMinor;
            }
            else
            {
                await PauseAsync(tracked, spent.Micros + pendingMicros, review, balance.Minor, cancellationToken);
            }
        }

        tracked.ReviewHoldBelow(review.ReviewBelowMinor);
        return fundsLeft;
    }

    /// <summary>
    /// Resumes the buyer's paused jobs whose hold their balance can now top up (enough for the rest of the job at what
    /// its rows have cost, with the margin); returns how many. Each job in its own locked transaction.
    /// </summary>
    public async Task<int> ResumeAsync(string buyerId, CancellationToken cancellationToken)
    {
        var paused = await db.Jobs.AsNoTracking().Where(j => j.BuyerId == buyerId && j.Status == JobStatus.Paused)
            .OrderBy(j => j.CreatedAt).Select(j => new { j.Id, j.Currency }).ToListAsync(cancellationToken);
        var resumed = 0;
        foreach (var job in paused)
        {
            db.ChangeTracker.Clear();
            resumed += await holds.WithBalanceAsync(buyerId, job.Currency, balance => ResumeOneAsync(job.Id, balance.Minor, cancellationToken),
                cancellationToken);
        }

        return resumed;
    }

    /// <summary>Every buyer's paused jobs, for the recurring sweep: a top-up whose resume was missed is picked up here.</summary>
    public async Task<int> ResumeAllAsync(CancellationToken cancellationToken)
    {
        var buyers = await db.Jobs.AsNoTracking().Where(j => j.Status == JobStatus.Paused).Select(j => j.BuyerId).Distinct()
            .ToListAsync(cancellationToken);
        var resumed = 0;
        foreach (var buyer in buyers)
        {
            resumed += await ResumeAsync(buyer, cancellationToken);
        }

        return resumed;
    }

    private async Task<int> ResumeOneAsync(Guid jobId, long balance, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.SingleAsync(j => j.Id == jobId, cancellationToken);
        if (job.Status != JobStatus.Paused)
        {
            return 0;
        }

        var spent = await SpentAsync(jobId, cancellationToken);
        var review = JobHolds.Review(job.HeldMinor, spent.Micros, await RowsDoneAsync(jobId, cancellationToken), job.RowCount,
            job.EstimatedMicrosPerRow, marketplace.Value.HoldMarginPercent);
        if (review.TopUpMinor > balance)
        {
            // Still short: the reason keeps up with the figures.
            await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Paused)
                .ExecuteUpdateAsync(set => set.SetProperty(j => j.PauseReason, ShortOfFunds(job, spent.Micros, review, balance)), cancellationToken);
            return 0;
        }

        // Conditional, in the locked transaction: a job cancelled meanwhile stays cancelled and gets no top-up.
        if (await db.Jobs.Where(j => j.Id == jobId && j.Status == JobStatus.Paused)
                .ExecuteUpdateAsync(set => set.SetProperty(j => j.Status, JobStatus.Running).SetProperty(j => j.PauseReason, (string?)null),
                    cancellationToken) == 0)
        {
            return 0;
        }

        if (review.TopUpMinor > 0)
        {
            db.LedgerTransactions.Add(SettlementEntries.TopUpJobHold(job, review.TopUpMinor, job.HoldTopUps + 1, time.GetUtcNow()));
            job.TopUpHold(review.TopUpMinor);
        }

        job.ReviewHoldBelow(review.ReviewBelowMinor);
        return 1;
    }

    /// <summary>
    /// Stops new units (running ones finish and are paid from what is left), in the completion's own transaction and
    /// under its write gate; a job not queued or running (cancelled meanwhile, say) is left as it is.
    /// </summary>
    private async Task PauseAsync(InferenceJob job, long spentMicros, HoldReview review, long balance, CancellationToken cancellationToken)
    {
        var reason = ShortOfFunds(job, spentMicros, review, balance);
        await db.Jobs.Where(j => j.Id == job.Id && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
            .ExecuteUpdateAsync(set => set.SetProperty(j => j.Status, JobStatus.Paused).SetProperty(j => j.PauseReason, reason),
                cancellationToken);
    }

    private static string ShortOfFunds(InferenceJob job, long spentMicros, HoldReview review, long balance)
    {
        var reason = $"Paused: the job costs more than estimated. It has spent {MoneyAmount.FormatExact(spentMicros, job.Currency)} of the "
                     + $"{new MoneyAmount(job.HeldMinor, job.Currency)} held, and its remaining rows need {new MoneyAmount(review.TopUpMinor, job.Currency)} "
                     + $"more held; your balance is {new MoneyAmount(balance, job.Currency)}. Top up your balance and the job resumes, "
                     + "or cancel it to get back what it holds.";
        return reason.Length <= InferenceJob.PauseReasonLength ? reason : reason[..InferenceJob.PauseReasonLength];
    }

    /// <summary>What the job's accepted work cost: exactly, and in the whole minor units charged (the meters' floors).</summary>
    private async Task<(long Micros, long ChargedMinor)> SpentAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var spent = await db.Meterings.AsNoTracking().Where(m => m.JobId == jobId)
            .GroupBy(m => m.JobId)
            .Select(g => new { Micros = g.Sum(m => m.ChargeMicros), Charged = g.Sum(m => m.ChargeMicros / UsagePricing.MicrosPerMinor) })
            .SingleOrDefaultAsync(cancellationToken);
        return (spent?.Micros ?? 0, spent?.Charged ?? 0);
    }

    /// <summary>Rows whose unit has an accepted result (counted once, however many replicas agreed).</summary>
    private Task<long> RowsDoneAsync(Guid jobId, CancellationToken cancellationToken) =>
        db.WorkUnits.Where(u => u.JobId == jobId && u.Replica == 0
                                && db.WorkUnits.Any(d => d.JobId == jobId && d.Index == u.Index && d.Status == WorkUnitStatus.Done))
            .SumAsync(u => (long)u.RowCount, cancellationToken);
}
