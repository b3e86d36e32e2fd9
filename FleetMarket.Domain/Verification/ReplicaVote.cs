namespace FleetMarket.Domain.Verification;

/// <summary>One device's result for a unit, as the vote sees it.</summary>
public sealed record ReplicaResult<TOutputs>(Guid UnitId, string OwnerId, TOutputs Outputs);

/// <summary>What to do with a unit's replicas after a result came in.</summary>
public abstract record GroupDecision
{
    /// <summary>A cluster of agreeing results reached the quorum: those are accepted, every other result rejected.</summary>
    public sealed record Accept(IReadOnlyList<Guid> Accepted, IReadOnlyList<Guid> Rejected) : GroupDecision;

    /// <summary>Not decided yet: a replica is still queued or running.</summary>
    public sealed record Wait : GroupDecision;

    /// <summary>Not decided and nothing running: one more device of another owner must run the unit.</summary>
    public sealed record AddReplica : GroupDecision;

    /// <summary>No agreement even after the tie-breakers: the unit fails and no result is paid.</summary>
    public sealed record Fail(IReadOnlyList<Guid> Rejected) : GroupDecision;
}

/// <summary>
/// Decides a unit from its replicas' results. Results are clustered by agreement; a cluster wins when results
/// of <c>quorum</c> different owners are in it, so two devices of one owner returning the same wrong answer
/// count as one vote.
/// </summary>
public static class ReplicaVote
{
    public static GroupDecision Decide<TOutputs>(IReadOnlyList<ReplicaResult<TOutputs>> results, int quorum, int outstanding,
        int replicas, int maxReplicas, Func<TOutputs, TOutputs, bool> agree)
    {
        var clusters = new List<List<ReplicaResult<TOutputs>>>();
        foreach (var result in results)
        {
            var cluster = clusters.FirstOrDefault(c => agree(c[0].Outputs, result.Outputs));
            if (cluster is null)
            {
                clusters.Add([result]);
            }
            else
            {
                cluster.Add(result);
            }
        }

        var winner = clusters.FirstOrDefault(c => c.Select(r => r.OwnerId).Distinct(StringComparer.Ordinal).Count() >= quorum);
        if (winner is not null)
        {
            return new GroupDecision.Accept(winner.Select(r => r.UnitId).ToList(),
                results.Where(r => !winner.Contains(r)).Select(r => r.UnitId).ToList());
        }

        if (outstanding > 0)
        {
            return new GroupDecision.Wait();
        }

        return replicas < maxReplicas
            ? new GroupDecision.AddReplica()
            : new GroupDecision.Fail(results.Select(r => r.UnitId).ToList());
    }
}
