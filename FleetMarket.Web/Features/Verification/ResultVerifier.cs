using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Pricing;
using FleetMarket.Domain.Verification;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Web.Blobs;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Web.Features.Settlement;
using FleetMarket.Web.Marketplace;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.Verification;

/// <summary>
/// Judges a unit's index after one of its replicas returned a result, on the tracked entities of the caller's
/// context: accepts, rejects, waits or asks for another replica (docs/decisions/0006). Accepted results get
/// their usage record here, so rejected work is never settled. The caller saves; <see cref="DeviceTally"/>
/// then goes to the devices' records in the same transaction.
/// </summary>
public sealed class ResultVerifier(FleetDbContext db, IBlobStore blobs, IOptions<MarketplaceOptions> marketplace, VerificationDice dice,
    UsageMeter meter)
{
    public async Task<DeviceTally> DecideAsync(InferenceJob job, WorkUnit completed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var policy = job.Verification;
        var tally = new DeviceTally();
        if (policy.Mode == VerificationMode.None)
        {
            // One run per unit and nothing to compare: no group to read and no decision to race.
            await meter.AcceptAsync(job, [completed], completed.RowCount, now, cancellationToken);
            return tally;
        }

        var group = await db.WorkUnits.Where(u => u.JobId == job.Id && u.Index == completed.Index).ToListAsync(cancellationToken);
        group.Single(u => u.Replica == 0).BumpDecision();
        var accepted = group.FirstOrDefault(u => u.Status == WorkUnitStatus.Done);

        var outputs = new Dictionary<Guid, IReadOnlyDictionary<string, NpyArray>>();
        async Task<IReadOnlyDictionary<string, NpyArray>> OutputsOf(WorkUnit unit) => outputs.TryGetValue(unit.Id, out var read)
            ? read
            : outputs[unit.Id] = Npz.Read(await blobs.ReadAllAsync(unit.OutputSha256!, cancellationToken), new NpyLimits(marketplace.Value.MaxOutputBytes));
        bool Agree(IReadOnlyDictionary<string, NpyArray> left, IReadOnlyDictionary<string, NpyArray> right) =>
            OutputAgreement.Agree(left, right, policy.AbsoluteTolerance, policy.RelativeTolerance);

        if (accepted is not null)
        {
            // A replica that was already running when its index was decided: judged against the accepted answer.
            if (Agree(await OutputsOf(accepted), await OutputsOf(completed)))
            {
                await meter.AcceptAsync(job, [completed], 0, now, cancellationToken);
                tally.Valid(completed);
            }
            else
            {
                completed.Reject("disagreed with the accepted result");
                tally.Invalid(completed);
            }

            return tally;
        }

        var quorum = policy.Quorum;
        if (policy.Mode == VerificationMode.Adaptive && group.Count == 1)
        {
            // The first result of the index: a trusted device is only spot-checked.
            var streak = await db.Devices.Where(d => d.Id == completed.DeviceId).Select(d => d.ValidStreak).SingleAsync(cancellationToken);
            quorum = dice.Roll() < Reliability.CheckProbability(streak) ? 2 : 1;
        }

        var checking = group.Where(u => u.Status == WorkUnitStatus.Checking).ToList();
        var results = new List<ReplicaResult<IReadOnlyDictionary<string, NpyArray>>>();
        foreach (var unit in checking)
        {
            results.Add(new(unit.Id, unit.OwnerId ?? "", await OutputsOf(unit)));
        }

        var decision = ReplicaVote.Decide(results, quorum,
            outstanding: group.Count(u => u.Status is WorkUnitStatus.Queued or WorkUnitStatus.Leased),
            replicas: group.Count(u => u.Status != WorkUnitStatus.Dropped),
            maxReplicas: quorum + VerificationPolicy.TieBreakers, Agree);
        switch (decision)
        {
            case GroupDecision.Accept accept:
                var winners = checking.Where(u => accept.Accepted.Contains(u.Id)).ToList();
                await meter.AcceptAsync(job, winners, completed.RowCount, now, cancellationToken);
                foreach (var loser in checking.Where(u => accept.Rejected.Contains(u.Id)))
                {
                    loser.Reject($"disagreed with the results of {quorum} other owners' devices");
                    tally.Invalid(loser);
                    await RerunUncheckedAsync(loser.DeviceId!.Value, now, cancellationToken);
                }

                if (quorum > 1)
                {
                    winners.ForEach(tally.Valid);
                }

                group.ForEach(u => u.Drop());
                break;
            case GroupDecision.AddReplica:
                db.WorkUnits.Add(completed.NewReplica(group.Max(u => u.Replica) + 1));
                break;
            case GroupDecision.Fail:
                checking.ForEach(u => u.Reject("no results of two owners agreed"));
                tally.Unresolved(checking.Count);
                completed.FailVerification($"No two of {checking.Count} results from different owners agreed.");
                break;
        }

        return tally;
    }

    /// <summary>
    /// The buyer waived the check an index waits for: its first result is accepted and billed as an unchecked job's
    /// would have been, a later one that disagreed with it is set aside unpaid (with no mark on its device's record:
    /// nobody knows which was right), and the check nobody ran leaves the queue.
    /// </summary>
    public async Task AcceptUncheckedAsync(InferenceJob job, IReadOnlyList<WorkUnit> group, DateTimeOffset now, CancellationToken cancellationToken)
    {
        group.Single(u => u.Replica == 0).BumpDecision();
        var checking = group.Where(u => u.Status == WorkUnitStatus.Checking).OrderBy(u => u.CompletedAt).ToList();
        if (checking.Count == 0 || group.Any(u => u.Status == WorkUnitStatus.Done))
        {
            return;
        }

        await meter.AcceptAsync(job, [checking[0]], checking[0].RowCount, now, cancellationToken);
        checking.Skip(1).ToList().ForEach(u => u.Reject("set aside: the buyer accepted another result of its rows unchecked"));
        group.ToList().ForEach(u => u.Drop());
    }

    /// <summary>
    /// A device caught returning a wrong result may have been wrong before, when, trusted, it went unchecked: those
    /// results in jobs still running are revoked, their usage reversed (the next settlement posts it, and an owner's
    /// deficit is carried forward), and their units run again on two other owners' devices.
    /// </summary>
    private async Task RerunUncheckedAsync(Guid deviceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var unverified = await db.WorkUnits
            .Where(u => u.DeviceId == deviceId && u.Status == WorkUnitStatus.Done)
            .Where(u => db.Jobs.Any(j => j.Id == u.JobId && (j.Status == JobStatus.Running || j.Status == JobStatus.Queued || j.Status == JobStatus.Paused)
                                         && j.Verification.Mode == VerificationMode.Adaptive))
            .Where(u => !db.WorkUnits.Any(other => other.JobId == u.JobId && other.Index == u.Index && other.Id != u.Id))
            .ToListAsync(cancellationToken);
        var unitIds = unverified.Select(u => u.Id).ToList();
        var usage = await db.UsageRecords.Where(r => unitIds.Contains(r.WorkUnitId)).ToListAsync(cancellationToken);
        foreach (var unit in unverified)
        {
            const string reason = "re-run: the device was later caught returning a wrong result";
            unit.Revoke(reason);
            usage.SingleOrDefault(r => r.WorkUnitId == unit.Id)?.Reverse(reason, now);
            db.WorkUnits.AddRange(unit.NewReplica(1), unit.NewReplica(2));
        }
    }
}
