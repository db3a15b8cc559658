using Mailroom.People;
using Mailroom.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mailroom.Outbound;

public sealed class OutboundEmailMapping : IEntityTypeConfiguration<OutboundEmail>
{
    public void Configure(EntityTypeBuilder<OutboundEmail> e)
    {
        e.ToTable("OutboundEmails");
        e.Property(x => x.FromAddress).HasMaxLength(320);
        e.Property(x => x.FromName).HasMaxLength(200);
        e.Property(x => x.Subject).HasMaxLength(OutboxLimits.MaxSubjectLength);
        e.Property(x => x.MessageId).HasMaxLength(1000);
        e.Property(x => x.InReplyTo).HasMaxLength(1000);
        e.Property(x => x.LeaseOwner).HasMaxLength(100).IsConcurrencyToken();
        e.Property(x => x.FailureCode).HasMaxLength(64);
        e.Property(x => x.FailureReason).HasMaxLength(2000);
        e.Property(x => x.ProviderMessageId).HasMaxLength(1000);
        // By name: rows are read by people; and the token that makes claim, hold and cancel exclusive.
        e.Property(x => x.Status).HasConversion<string>().HasMaxLength(16).IsConcurrencyToken();
        e.Ignore(x => x.IsScheduled);
        e.HasIndex(x => x.MessageId).IsUnique();
        // The worker's question: what is due next.
        e.HasIndex(x => new { x.Status, x.NextAttemptAt });
        e.HasIndex(x => x.TaskId);
        e.HasOne<WorkTask>().WithMany().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<User>().WithMany().HasForeignKey(x => x.AuthorUserId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(x => x.Attachments).WithOne().HasForeignKey(x => x.OutboundEmailId).OnDelete(DeleteBehavior.Cascade);
        // The comment that shows a sent email keeps showing it if the outbox row goes.
        e.HasMany<Comment>().WithOne().HasForeignKey(c => c.OutboundEmailId).OnDelete(DeleteBehavior.SetNull);
    }
}
