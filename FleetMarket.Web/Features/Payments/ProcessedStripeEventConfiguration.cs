using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Features.Payments;

internal sealed class ProcessedStripeEventConfiguration : IEntityTypeConfiguration<ProcessedStripeEvent>
{
    public void Configure(EntityTypeBuilder<ProcessedStripeEvent> processed)
    {
        processed.ToTable("ProcessedStripeEvents");
        processed.HasKey(e => e.Id);
        processed.Property(e => e.Id).HasMaxLength(100);
        processed.Property(e => e.Type).HasMaxLength(100).IsRequired();
    }
}
