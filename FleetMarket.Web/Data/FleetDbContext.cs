using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Audit;
using FleetMarket.Domain.CarFinancing;
using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Ledger;
using FleetMarket.Domain.Payouts;
using FleetMarket.Domain.Pricing;
using FleetMarket.Domain.Reservations;
using FleetMarket.Domain.Settlement;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Data;

/// <summary>
/// The one model of the marketplace. Each database provider has a subclass that owns its migration set,
/// so both sets live side by side and are checked separately (see docs/decisions/0001).
/// </summary>
public abstract class FleetDbContext(DbContextOptions options)
    : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<InferenceJob> Jobs => Set<InferenceJob>();
    public DbSet<WorkUnit> WorkUnits => Set<WorkUnit>();
    public DbSet<UsageRecord> UsageRecords => Set<UsageRecord>();
    public DbSet<Metering> Meterings => Set<Metering>();
    public DbSet<LedgerTransaction> LedgerTransactions => Set<LedgerTransaction>();
    public DbSet<Posting> Postings => Set<Posting>();
    public DbSet<Payout> Payouts => Set<Payout>();
    public DbSet<CarPaymentPlan> CarPaymentPlans => Set<CarPaymentPlan>();
    public DbSet<Reservation> Reservations => Set<Reservation>();
    public DbSet<ReservedSlot> ReservedSlots => Set<ReservedSlot>();
    public DbSet<SettlementRun> SettlementRuns => Set<SettlementRun>();
    public DbSet<ReconciliationDifference> ReconciliationDifferences => Set<ReconciliationDifference>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<PayoutAccount> PayoutAccounts => Set<PayoutAccount>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RejectLedgerEdits();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RejectLedgerEdits();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>Postings are immutable: a mistake is corrected by a new, reversing transaction that names its cause.</summary>
    private void RejectLedgerEdits()
    {
        var edited = ChangeTracker.Entries()
            .FirstOrDefault(e => e.Entity is Posting or LedgerTransaction && e.State is EntityState.Modified or EntityState.Deleted);
        if (edited is not null)
        {
            throw new InvalidOperationException(
                $"Ledger entries are immutable: post a reversing transaction instead of changing a {edited.Entity.GetType().Name}.");
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(FleetDbContext).Assembly);
    }
}
