using FleetMarket.Domain.Jobs;

namespace FleetMarket.Tests.Unit.Domain;

public sealed class WorkUnitTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Split_TenRowsInUnitsOfFour_ThreeUnitsInInputOrder()
    {
        var job = new InferenceJob("buyer", "job", new string('a', 64), 10, 300, "USD", Now);

        var units = job.Split(4, ["s0", "s1", "s2"]);

        Assert.Equal([(0, 0, 4, "s0"), (1, 4, 4, "s1"), (2, 8, 2, "s2")], units.Select(u => (u.Index, u.RowStart, u.RowCount, u.InputSha256)));
        Assert.All(units, u => Assert.Equal(WorkUnitStatus.Queued, u.Status));
    }

    [Fact]
    public void Split_WrongNumberOfSlices_IsRefused()
    {
        var job = new InferenceJob("buyer", "job", new string('a', 64), 10, 300, "USD", Now);

        Assert.Throws<ArgumentException>(() => job.Split(4, ["s0"]));
    }

    [Fact]
    public void SplitWithProbe_ThenCutWaiting_UnitsFollowTheProbeInInputOrder_AndWaitingRowsAreNeverLeasable()
    {
        var job = new InferenceJob("buyer", "job", new string('a', 64), 10, 300, "USD", Now);

        var split = job.SplitWithProbe(2, "probe", "rest");
        var waiting = split.Single(u => u.Status == WorkUnitStatus.Waiting);
        var cut = job.CutWaiting(waiting, 3, ["c1", "c2", "c3"]);

        Assert.Equal([(0, 0, 2, WorkUnitStatus.Queued), (1, 2, 8, WorkUnitStatus.Waiting)], split.Select(u => (u.Index, u.RowStart, u.RowCount, u.Status)));
        Assert.False(WorkUnit.LeasableAt(Now).Compile()(waiting));
        Assert.Equal([(1, 2, 3, "c1"), (2, 5, 3, "c2"), (3, 8, 2, "c3")], cut.Select(u => (u.Index, u.RowStart, u.RowCount, u.InputSha256)));
    }

    [Fact]
    public void Cancel_WithRowsWaiting_WithdrawsThem()
    {
        var job = new InferenceJob("buyer", "job", new string('a', 64), 10, 300, "USD", Now);
        job.SplitWithProbe(2, "probe", "rest");

        job.Cancel(Now);

        Assert.All(job.Units, u => Assert.Equal(WorkUnitStatus.Failed, u.Status));
        Assert.Throws<InvalidOperationException>(() => job.CutWaiting(job.Units[1], 3, ["c1", "c2", "c3"]));
    }

    [Fact]
    public void LeasableAt_QueuedOrExpiredWithAttemptsLeft_OnlyThose()
    {
        var leasable = WorkUnit.LeasableAt(Now).Compile();
        var exhausted = WorkUnit.ExhaustedAt(Now).Compile();
        var queued = NewUnit();

        Assert.True(leasable(queued));
        Assert.False(exhausted(queued));
    }

    [Fact]
    public void Complete_WithAForeignLease_IsNotAccepted()
    {
        var unit = NewUnit();

        Assert.False(unit.Complete(Guid.NewGuid(), new string('c', 64), 10, 1, Now));
        Assert.Equal(WorkUnitStatus.Queued, unit.Status);
    }

    [Fact]
    public void InferenceJob_NoRows_IsRefused() =>
        Assert.Throws<FleetMarket.Domain.DomainException>(() => new InferenceJob("b", "j", "m", 0, 300, "USD", Now));

    private static WorkUnit NewUnit()
    {
        var job = new InferenceJob("buyer", "job", new string('a', 64), 2, 300, "USD", Now);
        return job.Split(2, ["s0"])[0];
    }
}
