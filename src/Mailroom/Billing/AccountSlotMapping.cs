using Mailroom.Accounts;
using Mailroom.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mailroom.Billing;

public sealed class AccountSlotMapping : IEntityTypeConfiguration<AccountSlot>
{
    public void Configure(EntityTypeBuilder<AccountSlot> e)
    {
        e.ToTable("AccountSlots");
        e.HasIndex(x => x.WorkspaceId);
        // One mailbox fills one slot; removing the mailbox frees its slot (kept until renewal).
        e.HasIndex(x => x.MailAccountId).IsUnique().HasFilter("\"MailAccountId\" IS NOT NULL");
        e.HasOne<MailAccount>().WithMany().HasForeignKey(x => x.MailAccountId).OnDelete(DeleteBehavior.SetNull);
        e.HasOne<LedgerLine>().WithMany().HasForeignKey(x => x.PurchaseLineId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
