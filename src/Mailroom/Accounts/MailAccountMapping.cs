using Mailroom.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mailroom.Accounts;

public sealed class MailAccountMapping : IEntityTypeConfiguration<MailAccount>
{
    public void Configure(EntityTypeBuilder<MailAccount> e)
    {
        e.ToTable("MailAccounts");
        e.Property(x => x.Email).HasMaxLength(320);
        e.Property(x => x.SendAsName).HasMaxLength(200);
        e.Property(x => x.ImapHost).HasMaxLength(255);
        e.Property(x => x.SmtpHost).HasMaxLength(255);
        e.Property(x => x.Username).HasMaxLength(320);
        e.Property(x => x.ProtectedSecret).HasMaxLength(8000);
        e.Property(x => x.LastErrorCode).HasMaxLength(64);
        // By name: the rows are read by people, and a renumbered enum must not change a stored account.
        e.Property(x => x.Provider).HasConversion<string>().HasMaxLength(32);
        e.Property(x => x.ImapSecurity).HasConversion<string>().HasMaxLength(32);
        e.Property(x => x.SmtpSecurity).HasConversion<string>().HasMaxLength(32);
        e.Property(x => x.Health).HasConversion<string>().HasMaxLength(32);
        // Rows from before OAuth are password accounts sending by SMTP (Auto).
        e.Property(x => x.AuthKind).HasConversion<string>().HasMaxLength(32).HasDefaultValue(AccountAuthKind.Password);
        e.Property(x => x.SendVia).HasConversion<string>().HasMaxLength(32).HasDefaultValue(SendVia.Auto);
        // One member links one address once; another member may link the same shared address.
        e.HasIndex(x => new { x.UserId, x.Email }).IsUnique();
        e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
