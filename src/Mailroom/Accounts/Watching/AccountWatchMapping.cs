using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mailroom.Accounts.Watching;

public sealed class AccountWatchMapping : IEntityTypeConfiguration<AccountWatch>
{
    public void Configure(EntityTypeBuilder<AccountWatch> e)
    {
        e.ToTable("AccountWatches");
        e.HasKey(x => x.AccountId);
        e.Property(x => x.HolderId).HasMaxLength(64);
        // Removing the account ends its watch and forgets its checkpoint.
        e.HasOne<MailAccount>().WithOne().HasForeignKey<AccountWatch>(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
