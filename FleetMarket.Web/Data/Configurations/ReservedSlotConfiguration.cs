using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Reservations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class ReservedSlotConfiguration : IEntityTypeConfiguration<ReservedSlot>
{
    public void Configure(EntityTypeBuilder<ReservedSlot> slot)
    {
        slot.HasKey(s => s.Id);
        slot.Ignore(s => s.EndsAt);

        // A device-hour is sold once: of two buyers matching the same slot at once, the second insert fails.
        // It is also the dispatch's index for "which reservation owns this device now".
        slot.HasIndex(s => new { s.DeviceId, s.StartsAt }).IsUnique();
        slot.HasOne<Device>().WithMany().HasForeignKey(s => s.DeviceId).OnDelete(DeleteBehavior.Restrict);
    }
}
