using Mailroom.People;
using Mailroom.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mailroom.Billing;

public sealed class LedgerLineMapping : IEntityTypeConfiguration<LedgerLine>
{
    public void Configure(EntityTypeBuilder<LedgerLine> e)
    {
        e.ToTable("LedgerLines");
        // By name: a ledger is read by people (and auditors) long after an enum was renumbered.
        e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
        e.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(32);
        e.Property(x => x.Description).HasMaxLength(500);
        e.Property(x => x.Currency).HasMaxLength(3);
        e.Property(x => x.Arithmetic).HasMaxLength(500);
        e.Property(x => x.ProcessorChargeId).HasMaxLength(255);
        e.Property(x => x.IdempotencyKey).HasMaxLength(200);
        e.Property(x => x.DeclineCode).HasMaxLength(64);
        e.Property(x => x.PlanId).HasMaxLength(64);
        e.Property(x => x.Cycle).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.DeclineMessage).HasMaxLength(1000);
        // The guard against charging one request twice, whatever crashes or retries.
        e.HasIndex(x => new { x.WorkspaceId, x.IdempotencyKey }).IsUnique();
        e.HasIndex(x => new { x.WorkspaceId, x.At });
        e.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.SetNull);
    }
}
