using FleetMarket.Domain.Reservations;
using FleetMarket.Domain.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class ReservationConfiguration : IEntityTypeConfiguration<Reservation>
{
    public void Configure(EntityTypeBuilder<Reservation> reservation)
    {
        reservation.HasKey(r => r.Id);
        reservation.Property(r => r.BuyerId).HasMaxLength(450).IsRequired();
        reservation.Property(r => r.Name).HasMaxLength(FieldLimits.ReservationName).IsRequired();
        reservation.Property(r => r.Currency).HasMaxLength(3).IsFixedLength();
        reservation.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        reservation.Property(r => r.Requirements).HasJsonConversion().HasMaxLength(1000);
        reservation.HasIndex(r => new { r.BuyerId, r.CreatedAt });
        reservation.HasIndex(r => new { r.EscrowReleasedAt, r.WindowEnd });
        reservation.HasMany(r => r.Slots).WithOne().HasForeignKey(s => s.ReservationId).OnDelete(DeleteBehavior.Cascade);
        reservation.Navigation(r => r.Slots).HasField("_slots");
        reservation.HasOne<ApplicationUser>().WithMany().HasForeignKey(r => r.BuyerId).OnDelete(DeleteBehavior.Restrict);
    }
}
