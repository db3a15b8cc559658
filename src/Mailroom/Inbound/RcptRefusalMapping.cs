using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mailroom.Inbound;

public sealed class RcptRefusalMapping : IEntityTypeConfiguration<RcptRefusal>
{
    public void Configure(EntityTypeBuilder<RcptRefusal> e)
    {
        e.Property(x => x.Address).HasMaxLength(512);
        e.Property(x => x.MailFrom).HasMaxLength(512);
        e.Property(x => x.RemoteAddress).HasMaxLength(64);
        e.Property(x => x.EnhancedCode).HasMaxLength(16);
        e.Property(x => x.ReplyText).HasMaxLength(1000);
        // Stored by name: the log is read by people and the names are the API's stable codes' source.
        e.Property(x => x.Reason).HasConversion<string>().HasMaxLength(32);
        // Newest first, and what the retention and the count bound delete from the other end.
        e.HasIndex(x => x.LastSeenAt);
        // The repeat of a refusal is found by its address first (also the address filter's exact match).
        e.HasIndex(x => new { x.Address, x.LastSeenAt });
    }
}
