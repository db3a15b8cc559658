using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mailroom.Outbound;

public sealed class OutboundAttachmentMapping : IEntityTypeConfiguration<OutboundAttachment>
{
    public void Configure(EntityTypeBuilder<OutboundAttachment> e)
    {
        e.ToTable("OutboundAttachments");
        e.Property(x => x.FileName).HasMaxLength(500);
        e.Property(x => x.ContentType).HasMaxLength(200);
        e.Property(x => x.BlobHash).HasMaxLength(64);
    }
}
