using Mailroom.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mailroom.Billing;

public sealed class PaymentMethodOnFileMapping : IEntityTypeConfiguration<PaymentMethodOnFile>
{
    public void Configure(EntityTypeBuilder<PaymentMethodOnFile> e)
    {
        e.ToTable("PaymentMethods");
        e.HasKey(x => x.WorkspaceId);
        e.Property(x => x.Brand).HasMaxLength(32);
        e.Property(x => x.Last4).HasMaxLength(4);
        e.Property(x => x.ProcessorPaymentMethodId).HasMaxLength(255);
        e.HasOne<Workspace>().WithOne().HasForeignKey<PaymentMethodOnFile>(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
