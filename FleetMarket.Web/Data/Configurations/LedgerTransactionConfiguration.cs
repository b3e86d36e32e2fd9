using FleetMarket.Domain.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class LedgerTransactionConfiguration : IEntityTypeConfiguration<LedgerTransaction>
{
    public void Configure(EntityTypeBuilder<LedgerTransaction> transaction)
    {
        transaction.HasKey(t => t.Id);
        transaction.Property(t => t.IdempotencyKey).HasMaxLength(200).IsRequired();
        transaction.Property(t => t.Cause).HasMaxLength(500).IsRequired();

        // The guard that makes settlement idempotent across retries and nodes: a business event posts once.
        transaction.HasIndex(t => t.IdempotencyKey).IsUnique();
        transaction.HasMany(t => t.Postings).WithOne().HasForeignKey(p => p.TransactionId).OnDelete(DeleteBehavior.Cascade);
        transaction.Navigation(t => t.Postings).HasField("_postings");
    }
}
