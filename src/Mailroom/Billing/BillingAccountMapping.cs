using Mailroom.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mailroom.Billing;

public sealed class BillingAccountMapping : IEntityTypeConfiguration<BillingAccount>
{
    public void Configure(EntityTypeBuilder<BillingAccount> e)
    {
        e.ToTable("BillingAccounts");
        e.HasKey(x => x.WorkspaceId);
        e.Property(x => x.Cycle).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.ProcessorCustomerId).HasMaxLength(255);
        e.Property(x => x.PendingCycle).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.PendingPlanId).HasMaxLength(64);
        e.Property(x => x.Version).IsConcurrencyToken();
        e.HasOne<Workspace>().WithOne().HasForeignKey<BillingAccount>(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
