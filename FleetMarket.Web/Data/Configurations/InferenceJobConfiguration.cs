using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Validation;
using FleetMarket.Domain.Verification;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FleetMarket.Web.Data.Configurations;

internal sealed class InferenceJobConfiguration : IEntityTypeConfiguration<InferenceJob>
{
    public void Configure(EntityTypeBuilder<InferenceJob> job)
    {
        job.ToTable("Jobs");
        job.HasKey(j => j.Id);
        job.Property(j => j.BuyerId).HasMaxLength(450).IsRequired();
        job.Property(j => j.Name).HasMaxLength(FieldLimits.JobName).IsRequired();
        job.Property(j => j.ModelSha256).HasMaxLength(64).IsRequired();
        job.Property(j => j.OutputSha256).HasMaxLength(64);
        job.Property(j => j.OutputFileName).HasMaxLength(100);
        job.Property(j => j.FailureReason).HasMaxLength(1000);
        job.Property(j => j.PauseReason).HasMaxLength(InferenceJob.PauseReasonLength);
        job.Property(j => j.Currency).HasMaxLength(3).IsFixedLength();
        job.Property(j => j.Status).HasConversion<string>().HasMaxLength(20);
        job.OwnsOne(j => j.Verification, verification =>
        {
            // Jobs from before verification existed ran unchecked.
            verification.Property(v => v.Mode).HasConversion<string>().HasMaxLength(20).HasDefaultValue(VerificationMode.None);
            verification.Property(v => v.Replicas).HasDefaultValue(1);
        });
        job.Navigation(j => j.Verification).IsRequired();
        job.HasIndex(j => new { j.BuyerId, j.CreatedAt });
        job.HasIndex(j => j.Status);
        job.HasIndex(j => j.ReservationId);
        job.HasOne<Domain.Reservations.Reservation>().WithMany().HasForeignKey(j => j.ReservationId).OnDelete(DeleteBehavior.Restrict);
        job.HasMany(j => j.Units).WithOne().HasForeignKey(u => u.JobId).OnDelete(DeleteBehavior.Cascade);
        job.Navigation(j => j.Units).HasField("_units");
        job.HasOne<ApplicationUser>().WithMany().HasForeignKey(j => j.BuyerId).OnDelete(DeleteBehavior.Restrict);
    }
}
