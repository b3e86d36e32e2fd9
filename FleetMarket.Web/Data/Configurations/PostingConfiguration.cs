using FleetMarket.Domain.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class PostingConfiguration : IEntityTypeConfiguration<Posting>
{
    public void Configure(EntityTypeBuilder<Posting> posting)
    {
        posting.HasKey(p => p.Id);
        posting.Property(p => p.Account).HasMaxLength(500).IsRequired();
        posting.Property(p => p.Currency).HasMaxLength(3).IsFixedLength();
        posting.HasIndex(p => new { p.Account, p.Currency });
    }
}
