using Mailroom.Groups;
using Mailroom.Inbound;
using Mailroom.Integrations;
using Mailroom.People;
using Mailroom.Posts;
using Mailroom.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Storage;

/// <summary>
/// The one model of Mailroom. Each provider has its own subclass so that migrations are
/// generated per provider from the same model (EF Core "multiple context types" pattern).
/// </summary>
public abstract class MailroomDb(DbContextOptions options) : IdentityDbContext<User, IdentityRole<Guid>, Guid>(options)
{
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<GroupMember> GroupMembers => Set<GroupMember>();
    public DbSet<Post> Posts => Set<Post>();
    public DbSet<PostAttachment> PostAttachments => Set<PostAttachment>();
    public DbSet<EmailIntegration> EmailIntegrations => Set<EmailIntegration>();
    public DbSet<InboundMessage> InboundMessages => Set<InboundMessage>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<Workspace>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.PlanId).HasMaxLength(64);
        });
        builder.Entity<User>(e => e.Property(x => x.DisplayName).HasMaxLength(200));
        builder.Entity<ApiToken>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.TokenHash).HasMaxLength(64);
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Group>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Description).HasMaxLength(2000);
            e.HasMany(x => x.Members).WithOne().HasForeignKey(x => x.GroupId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<GroupMember>(e =>
        {
            e.HasKey(x => new { x.GroupId, x.UserId });
            e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Post>(e =>
        {
            e.Property(x => x.Title).HasMaxLength(1000);
            e.Property(x => x.AuthorEmail).HasMaxLength(320);
            e.Property(x => x.AuthorName).HasMaxLength(320);
            e.HasOne<Group>().WithMany().HasForeignKey(x => x.GroupId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.GroupId, x.CreatedAt });
            // The guard against posting one email twice, whatever crashes in between.
            e.HasIndex(x => new { x.InboundMessageId, x.IntegrationId }).IsUnique();
            e.HasMany(x => x.Attachments).WithOne().HasForeignKey(x => x.PostId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<PostAttachment>(e =>
        {
            e.Property(x => x.FileName).HasMaxLength(500);
            e.Property(x => x.ContentType).HasMaxLength(200);
            e.Property(x => x.BlobHash).HasMaxLength(64);
        });
        builder.Entity<EmailIntegration>(e =>
        {
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.LocalPart).HasMaxLength(64);
            e.HasIndex(x => x.LocalPart).IsUnique();
            e.HasOne<Group>().WithMany().HasForeignKey(x => x.GroupId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<InboundMessage>(e =>
        {
            e.Property(x => x.BlobHash).HasMaxLength(64);
            e.Property(x => x.MailFrom).HasMaxLength(512);
            e.Property(x => x.RemoteAddress).HasMaxLength(64);
            e.Property(x => x.Helo).HasMaxLength(255);
            e.Property(x => x.Kind).HasMaxLength(32);
            e.Property(x => x.FromAddress).HasMaxLength(512);
            e.Property(x => x.Subject).HasMaxLength(1000);
            e.Property(x => x.MessageIdHeader).HasMaxLength(1000);
            e.Property(x => x.LeaseOwner).HasMaxLength(64);
            e.HasIndex(x => new { x.Status, x.ReceivedAt });
            e.HasIndex(x => x.ReceivedAt);
        });
    }
}
