using FleetMarket.Domain;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Pricing;
using FleetMarket.Domain.Protocol;
using FleetMarket.Domain.Tensors;
using FleetMarket.Web.Blobs;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Web.Hosting;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Features.WorkerProtocol;

public sealed record UnitResult(byte[] OutputsNpz, long ComputeMilliseconds, long InferenceCount);

/// <summary>
/// Takes a device's result for a lease: checks it, stores the outputs and records usage, once. Completing
/// the same lease again answers the same and records nothing more.
/// </summary>
public sealed class CompletionService(FleetDbContext db, IBlobStore blobs, TimeProvider time,
    IOptions<MarketplaceOptions> marketplace, IBackgroundJobClient backgroundJobs, IWriteGate writes)
{
    public async Task<CompletionResponse> CompleteAsync(AuthenticatedDevice device, Guid leaseId, UnitResult result,
        CancellationToken cancellationToken = default)
    {
        var deviceId = device.DeviceId;
        var unit = await db.WorkUnits.SingleOrDefaultAsync(u => u.LeaseId == leaseId && u.DeviceId == deviceId, cancellationToken)
                   ?? throw new NotFoundException("No such lease for this device.");
        if (unit.Status == WorkUnitStatus.Done)
        {
            return new CompletionResponse(true, "Already completed.");
        }

        var now = time.GetUtcNow();
        if (!unit.HoldsLease(leaseId, now))
        {
            return new CompletionResponse(false, "The lease has expired; the unit went back to the queue.");
        }

        var job = await db.Jobs.SingleAsync(j => j.Id == unit.JobId, cancellationToken);

        // A job of one row, as every job of a model with no batched input is, has nothing to join: its
        // outputs may be of any shape (a scalar, a fixed-size batch).
        CheckOutputs(result.OutputsNpz, job.RowCount == 1 ? null : unit.RowCount);
        var outputSha = await blobs.PutAsync(result.OutputsNpz, cancellationToken);

        // Metering comes from an untrusted device: no lease can be billed for longer than it lasted.
        var leaseMilliseconds = (long)marketplace.Value.LeaseDuration.TotalMilliseconds;
        unit.Complete(leaseId, outputSha, Math.Min(result.ComputeMilliseconds, leaseMilliseconds), result.InferenceCount, now);
        var cap = UsagePricing.UnitCap(job.MaxPricePerHourMinor, marketplace.Value.LeaseDuration);
        if (job.ReservationId is { } reservationId)
        {
            // A reservation's jobs together never spend more than it holds.
            cap = Math.Min(cap, await ReservationFundsLeftAsync(reservationId, cancellationToken));
        }

        var charge = UsagePricing.Charge(unit.PricePerHourMinor, unit.ComputeMilliseconds, cap);
        var fee = UsagePricing.PlatformFee(charge, marketplace.Value.PlatformFeeBasisPoints);
        db.UsageRecords.Add(new UsageRecord(unit, job, deviceId, device.OwnerId, unit.PricePerHourMinor, charge, fee, now));

        try
        {
            using (await writes.EnterAsync(cancellationToken))
            {
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            // The lease ran out and the unit was leased again while this result was being checked.
            return new CompletionResponse(false, "The lease has expired; the unit went back to the queue.");
        }
        catch (DbUpdateException)
        {
            // A concurrent completion of the same lease won: the unique usage record per unit is its.
            return new CompletionResponse(true, "Already completed.");
        }

        // Only units still to run keep a job open; this reads the (JobId, Status) index, not the finished units.
        if (!await db.WorkUnits.AnyAsync(u => u.JobId == job.Id && (u.Status == WorkUnitStatus.Queued || u.Status == WorkUnitStatus.Leased),
                cancellationToken))
        {
            backgroundJobs.Enqueue<JobAssembler>(assembler => assembler.AssembleAsync(job.Id, CancellationToken.None));
        }

        return new CompletionResponse(true);
    }

    private async Task<long> ReservationFundsLeftAsync(Guid reservationId, CancellationToken cancellationToken) => Math.Max(0,
        await db.Reservations.Where(r => r.Id == reservationId).Select(r => r.HeldMinor).SingleAsync(cancellationToken)
        - await db.UsageRecords.Where(u => u.ReservationId == reservationId).SumAsync(u => u.ChargeMinor, cancellationToken));

    private static void CheckOutputs(byte[] outputsNpz, int? expectedRows)
    {
        IReadOnlyDictionary<string, NpyArray> outputs;
        try
        {
            outputs = Npz.Read(new MemoryStream(outputsNpz));
        }
        catch (Exception exception) when (exception is NpyFormatException or InvalidDataException)
        {
            throw new DomainException($"The outputs are not a readable .npz: {exception.Message}");
        }

        if (outputs.Count == 0)
        {
            throw new DomainException("The outputs hold no arrays.");
        }

        foreach (var (name, array) in outputs)
        {
            if (expectedRows is { } rows && (array.Shape.Length == 0 || array.RowCount != rows))
            {
                throw new DomainException($"Output '{name}' has shape {array}; the unit has {rows} rows.");
            }
        }
    }
}
