using Mailroom.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mailroom.Outbound;

public sealed class MailThreadIdMapping : IEntityTypeConfiguration<MailThreadId>
{
    public void Configure(EntityTypeBuilder<MailThreadId> e)
    {
        e.ToTable("MailThreadIds");
        e.Property(x => x.MessageId).HasMaxLength(1000);
        e.Property(x => x.Source).HasConversion<string>().HasMaxLength(16);
        // One id names a task once; the same email mailed to two tasks names both.
        e.HasIndex(x => new { x.MessageId, x.TaskId }).IsUnique();
        e.HasOne<WorkTask>().WithMany().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
    }
}
