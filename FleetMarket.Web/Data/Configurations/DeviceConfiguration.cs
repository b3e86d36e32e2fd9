using FleetMarket.Domain.Devices;
using FleetMarket.Domain.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> device)
    {
        device.HasKey(d => d.Id);
        device.Property(d => d.OwnerId).HasMaxLength(450).IsRequired();
        device.Property(d => d.Name).HasMaxLength(FieldLimits.DeviceName).IsRequired();
        device.Property(d => d.Kind).HasConversion<string>().HasMaxLength(20);
        device.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        device.Property(d => d.Accelerator).HasMaxLength(FieldLimits.Accelerator);
        device.Property(d => d.Region).HasMaxLength(FieldLimits.Region);
        device.Property(d => d.Currency).HasMaxLength(3).IsFixedLength();
        device.Property(d => d.ExecutionProvider).HasMaxLength(FieldLimits.ExecutionProvider);
        // The code's hash is a concurrency token: of two workers racing with one code, only one pairs.
        device.Property(d => d.PairingCodeHash).HasMaxLength(64).IsConcurrencyToken();
        device.Property(d => d.CredentialHash).HasMaxLength(64);
        device.Property(d => d.Policy).HasJsonConversion().HasMaxLength(4000);
        device.Property(d => d.AvailableProviders).HasMaxLength(FieldLimits.AvailableProviders);
        device.Property(d => d.WorkerVersion).HasMaxLength(FieldLimits.WorkerVersion);
        device.HasIndex(d => d.OwnerId);
        device.HasIndex(d => d.PairingCodeHash).IsUnique();
        device.HasIndex(d => d.CredentialHash).IsUnique();
        device.HasOne<ApplicationUser>().WithMany().HasForeignKey(d => d.OwnerId).OnDelete(DeleteBehavior.Restrict);
    }
}
