using FleetMarket.Domain;
using FleetMarket.Domain.Payouts;

namespace FleetMarket.Tests.Unit.Domain;

public sealed class PayoutTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void HoldThenRelease_BackToReview_ThenApprovedAndPaid()
    {
        var payout = NewPayout();

        payout.Hold("fin@x", "new device, large earnings", Now);
        payout.Release("fin@x", "checked with the owner", Now);
        payout.Approve("fin@x", null, Now);
        payout.MarkPaid("tr_1", simulated: false, Now);

        Assert.Equal(PayoutStatus.Paid, payout.Status);
        Assert.Equal("tr_1", payout.TransferId);
        Assert.False(payout.IsOpen);
    }

    [Fact]
    public void Hold_WithoutAReason_Refused()
    {
        var refused = Assert.Throws<DomainException>(() => NewPayout().Hold("fin@x", " ", Now));

        Assert.Contains("reason", refused.Message);
    }

    [Fact]
    public void Approve_AHeldPayout_RefusedUntilReleased()
    {
        var payout = NewPayout();
        payout.Hold("fin@x", "check", Now);

        var refused = Assert.Throws<DomainException>(() => payout.Approve("fin@x", null, Now));

        Assert.Equal("Only a pending payout can be approved; this one is held.", refused.Message);
    }

    [Fact]
    public void MarkPaid_Twice_KeepsTheFirstTransfer()
    {
        var payout = NewPayout();
        payout.Approve("fin@x", null, Now);
        payout.MarkPaid("tr_1", simulated: false, Now);

        payout.MarkPaid("tr_2", simulated: false, Now);

        Assert.Equal("tr_1", payout.TransferId);
    }

    [Fact]
    public void MarkFailed_APendingPayout_Refused() =>
        Assert.Throws<DomainException>(() => NewPayout().MarkFailed("no account", Now));

    private static Payout NewPayout() =>
        new("owner-1", 25_00, "USD", new DateOnly(2026, 11, 24), new DateOnly(2026, 11, 26), PayoutAnomalies.None, Now);
}
