using Mailroom.Accounts;
using Mailroom.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mailroom.Permissions;

public sealed class AccountGrantMapping : IEntityTypeConfiguration<AccountGrant>
{
    public void Configure(EntityTypeBuilder<AccountGrant> e)
    {
        e.ToTable("AccountGrants");
        // One grant per member and account: granting twice changes nothing.
        e.HasIndex(x => new { x.AccountId, x.UserId }).IsUnique();
        // "What may I send from?" reads by member.
        e.HasIndex(x => x.UserId);
        e.HasOne<MailAccount>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
