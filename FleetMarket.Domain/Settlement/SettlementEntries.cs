using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Reservations;

namespace FleetMarket.Domain.Settlement;

/// <summary>The ledger transactions that the marketplace's money movements produce.</summary>
public static class SettlementEntries
{
    /// <summary>A buyer's top-up: paid by card through Stripe (into the clearing account), or simulated in the demo.</summary>
    public static LedgerTransaction TopUp(string buyerId, long amountMinor, string currency, string reference, bool simulated,
        DateTimeOffset now)
    {
        if (amountMinor <= 0)
        {
            throw new DomainException("A top-up must be above zero.");
        }

        // The buyer reads the cause in their balance history: a card payment names Stripe's reference, which their
        // receipt carries; a simulated one has no reference worth reading.
        var cause = simulated ? "Balance top-up (simulated, no charge)" : $"Balance top-up by card, payment {reference}";
        return LedgerTransaction.Create($"topup:{reference}", cause, currency, now,
            (simulated ? LedgerAccounts.ExternalFunding : LedgerAccounts.StripeClearing, -amountMinor),
            (LedgerAccounts.BuyerBalance(buyerId), amountMinor));
    }

    public static LedgerTransaction HoldForJob(InferenceJob job, DateTimeOffset now) =>
        LedgerTransaction.Create($"job-hold:{job.Id}", $"Escrow for job {job.Name}", job.Currency, now,
            (LedgerAccounts.BuyerBalance(job.BuyerId), -job.HeldMinor),
            (LedgerAccounts.BuyerEscrow(job.BuyerId), job.HeldMinor));

    /// <summary>
    /// More escrow for a running job whose spending outran its estimate; <paramref name="number"/> counts the job's
    /// top-ups, so each is posted once.
    /// </summary>
    public static LedgerTransaction TopUpJobHold(InferenceJob job, long amountMinor, int number, DateTimeOffset now) =>
        amountMinor > 0
            ? LedgerTransaction.Create($"job-hold:{job.Id}:{number}", $"Escrow top-up {number} for job {job.Name}: its spending outran the estimate",
                job.Currency, now,
                (LedgerAccounts.BuyerBalance(job.BuyerId), -amountMinor),
                (LedgerAccounts.BuyerEscrow(job.BuyerId), amountMinor))
            : throw new DomainException("A top-up must be above zero.");

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

    /// <summary>
    /// Buyer escrow pays the owner's share and the platform fee for a job's accepted units on one owner's devices,
    /// settled together: one transaction per job and owner in a settlement batch, not one per unit, so the ledger grows
    /// with the jobs and owners settled, not with how the work was split. Keyed by the group's first record (by id,
    /// which grows with time), which no other group can hold. settle-usage writes these rows in SQL, a batch at a time
    /// (FleetMarket.Web's IUsageSettlement): change both together.
    /// </summary>
    public static LedgerTransaction SettleUsage(IReadOnlyCollection<UsageRecord> records, DateTimeOffset now)
    {
        var first = records.MinBy(r => r.Id.ToString()) ?? throw new DomainException("There is no usage to settle.");
        if (records.Any(r => r.JobId != first.JobId || r.BuyerId != first.BuyerId || r.OwnerId != first.OwnerId || r.Currency != first.Currency))
        {
            throw new DomainException("Usage settles together only for one job, owner and currency.");
        }

        var charge = records.Sum(r => r.ChargeMinor);
        var fee = records.Sum(r => r.FeeMinor);
        return LedgerTransaction.Create($"usage:{first.Id}", $"Usage of job {first.JobId}: {records.Count} units on devices of owner {first.OwnerId}",
            first.Currency, now,
            (LedgerAccounts.BuyerEscrow(first.BuyerId), -charge),
            (LedgerAccounts.OwnerEarnings(first.OwnerId), charge - fee),
            (LedgerAccounts.PlatformFees, fee));
    }

    /// <summary>What a finished job held and did not spend goes back to the buyer's balance.</summary>
    public static LedgerTransaction ReleaseEscrow(InferenceJob job, long unspentMinor, DateTimeOffset now) =>
        LedgerTransaction.Create($"job-release:{job.Id}", $"Unspent escrow of job {job.Name}", job.Currency, now,
            (LedgerAccounts.BuyerEscrow(job.BuyerId), -unspentMinor),
            (LedgerAccounts.BuyerBalance(job.BuyerId), unspentMinor));

    /// <summary>A payout run claims the owner's earnings: they move to payable, where no later run can claim them again.</summary>
    public static LedgerTransaction ClaimForPayout(Payouts.Payout payout, DateTimeOffset now) =>
        LedgerTransaction.Create($"payout-claim:{payout.Id}", $"Earnings claimed by payout {payout.Id} (run {payout.RunDate:yyyy-MM-dd})",
            payout.Currency, now,
            (LedgerAccounts.OwnerEarnings(payout.OwnerId), -payout.AmountMinor),
            (LedgerAccounts.OwnerPayable(payout.OwnerId), payout.AmountMinor));

    /// <summary>The transfer left the platform: from the owner's payable to Stripe (or, simulated, to the outside).</summary>
    public static LedgerTransaction PayOut(Payouts.Payout payout, DateTimeOffset now) =>
        LedgerTransaction.Create($"payout:{payout.Id}", $"Payout {payout.Id} transferred as {payout.TransferId}",
            payout.Currency, now,
            (LedgerAccounts.OwnerPayable(payout.OwnerId), -payout.AmountMinor),
            (payout.Simulated ? LedgerAccounts.ExternalPayouts : LedgerAccounts.StripeClearing, payout.AmountMinor));

    /// <summary>A payout that failed before any money left goes back to the owner's earnings, for the next run.</summary>
    public static LedgerTransaction ReturnUnpaid(Payouts.Payout payout, DateTimeOffset now) =>
        LedgerTransaction.Create($"payout-return:{payout.Id}", $"Payout {payout.Id} failed: {payout.FailureReason}",
            payout.Currency, now,
            (LedgerAccounts.OwnerPayable(payout.OwnerId), -payout.AmountMinor),
            (LedgerAccounts.OwnerEarnings(payout.OwnerId), payout.AmountMinor));

    /// <summary>Stripe reversed (part of) a transfer: the money is back on the platform and owed to the owner again.</summary>
    public static LedgerTransaction ReverseTransfer(Payouts.Payout payout, string reversalId, long amountMinor, DateTimeOffset now) =>
        LedgerTransaction.Create($"transfer-reversal:{reversalId}", $"Transfer {payout.TransferId} of payout {payout.Id} reversed",
            payout.Currency, now,
            (LedgerAccounts.StripeClearing, -amountMinor),
            (LedgerAccounts.OwnerEarnings(payout.OwnerId), amountMinor));

    /// <summary>
    /// Work found wrong after it was settled: the buyer gets the charge back, the owner's share and the fee are
    /// taken back. The owner's earnings may go negative; the deficit is carried into later earnings, never paid.
    /// </summary>
    public static LedgerTransaction ReverseUsage(UsageRecord usage, string reason, DateTimeOffset now) =>
        LedgerTransaction.Create($"usage-reversal:{usage.Id}", $"Usage of unit {usage.WorkUnitId} reversed: {reason}",
            usage.Currency, now,
            (LedgerAccounts.OwnerEarnings(usage.OwnerId), -usage.OwnerShareMinor),
            (LedgerAccounts.PlatformFees, -usage.FeeMinor),
            (LedgerAccounts.BuyerBalance(usage.BuyerId), usage.ChargeMinor));
}
