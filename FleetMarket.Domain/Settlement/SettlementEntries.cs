using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Reservations;

namespace FleetMarket.Domain.Settlement;

/// <summary>The ledger transactions that the marketplace's money movements produce.</summary>
public static class SettlementEntries
{
    public static LedgerTransaction TopUp(string buyerId, long amountMinor, string currency, string reference, DateTimeOffset now)
    {
        if (amountMinor <= 0)
        {
            throw new DomainException("A top-up must be above zero.");
        }

        return LedgerTransaction.Create($"topup:{reference}", $"Balance top-up {reference}", currency, now,
            (LedgerAccounts.ExternalFunding, -amountMinor),
            (LedgerAccounts.BuyerBalance(buyerId), amountMinor));
    }

    public static LedgerTransaction HoldForJob(InferenceJob job, DateTimeOffset now) =>
        LedgerTransaction.Create($"job-hold:{job.Id}", $"Escrow for job {job.Name}", job.Currency, now,
            (LedgerAccounts.BuyerBalance(job.BuyerId), -job.HeldMinor),
            (LedgerAccounts.BuyerEscrow(job.BuyerId), job.HeldMinor));

    public static LedgerTransaction HoldForReservation(Reservation reservation, DateTimeOffset now) =>
        LedgerTransaction.Create($"reservation-hold:{reservation.Id}", $"Escrow for reservation {reservation.Name}", reservation.Currency, now,
            (LedgerAccounts.BuyerBalance(reservation.BuyerId), -reservation.HeldMinor),
            (LedgerAccounts.BuyerEscrow(reservation.BuyerId), reservation.HeldMinor));

    /// <summary>What an ended or cancelled reservation held and its jobs did not spend goes back to the buyer's balance.</summary>
    public static LedgerTransaction ReleaseReservation(Reservation reservation, long unspentMinor, DateTimeOffset now) =>
        LedgerTransaction.Create($"reservation-release:{reservation.Id}", $"Unspent escrow of reservation {reservation.Name}",
            reservation.Currency, now,
            (LedgerAccounts.BuyerEscrow(reservation.BuyerId), -unspentMinor),
            (LedgerAccounts.BuyerBalance(reservation.BuyerId), unspentMinor));

    /// <summary>Buyer escrow pays the owner's share and the platform fee for one accepted unit.</summary>
    public static LedgerTransaction SettleUsage(UsageRecord usage, DateTimeOffset now) =>
        LedgerTransaction.Create($"usage:{usage.Id}", $"Usage of unit {usage.WorkUnitId} on device {usage.DeviceId}",
            usage.Currency, now,
            (LedgerAccounts.BuyerEscrow(usage.BuyerId), -usage.ChargeMinor),
            (LedgerAccounts.OwnerEarnings(usage.OwnerId), usage.OwnerShareMinor),
            (LedgerAccounts.PlatformFees, usage.FeeMinor));

    /// <summary>What a finished job held and did not spend goes back to the buyer's balance.</summary>
    public static LedgerTransaction ReleaseEscrow(InferenceJob job, long unspentMinor, DateTimeOffset now) =>
        LedgerTransaction.Create($"job-release:{job.Id}", $"Unspent escrow of job {job.Name}", job.Currency, now,
            (LedgerAccounts.BuyerEscrow(job.BuyerId), -unspentMinor),
            (LedgerAccounts.BuyerBalance(job.BuyerId), unspentMinor));

    public static LedgerTransaction PayOut(Payouts.Payout payout, DateTimeOffset now) =>
        LedgerTransaction.Create($"payout:{payout.Id}", $"Payout {payout.Id} approved by {payout.ReviewedBy}",
            payout.Currency, now,
            (LedgerAccounts.OwnerEarnings(payout.OwnerId), -payout.AmountMinor),
            (LedgerAccounts.ExternalPayouts, payout.AmountMinor));
}
