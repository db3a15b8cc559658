using Mailroom.Accounts;
using Mailroom.Accounts.Watching;
using Mailroom.Billing;
using Mailroom.EmailApp;
using Mailroom.Groups;
using Mailroom.Inbound;
using Mailroom.Notifications;
using Mailroom.Outbound;
using Mailroom.Integrations;
using Mailroom.People;
using Mailroom.Permissions;
using Mailroom.Posts;
using Mailroom.Spaces;
using Mailroom.Tasks;
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
    public DbSet<RcptRefusal> RcptRefusals => Set<RcptRefusal>();
    public DbSet<Space> Spaces => Set<Space>();
    public DbSet<SpaceGuest> SpaceGuests => Set<SpaceGuest>();
    public DbSet<TaskList> TaskLists => Set<TaskList>();
    public DbSet<WorkTask> Tasks => Set<WorkTask>();
    public DbSet<TaskAssignee> TaskAssignees => Set<TaskAssignee>();
    public DbSet<TaskFollower> TaskFollowers => Set<TaskFollower>();
    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<TaskAttachment> TaskAttachments => Set<TaskAttachment>();
    public DbSet<TaskActivity> TaskActivities => Set<TaskActivity>();
    public DbSet<EmailAppSettings> EmailAppSettings => Set<EmailAppSettings>();
    public DbSet<EmailAppAuditEntry> EmailAppAudit => Set<EmailAppAuditEntry>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<CustomField> CustomFields => Set<CustomField>();
    public DbSet<CustomFieldValue> CustomFieldValues => Set<CustomFieldValue>();
    public DbSet<MailAccount> MailAccounts => Set<MailAccount>();
    public DbSet<MailThreadId> MailThreadIds => Set<MailThreadId>();
    public DbSet<OutboundEmail> OutboundEmails => Set<OutboundEmail>();
    public DbSet<OutboundAttachment> OutboundAttachments => Set<OutboundAttachment>();
    public DbSet<AccountWatch> AccountWatches => Set<AccountWatch>();
    public DbSet<AccountGrant> AccountGrants => Set<AccountGrant>();
    public DbSet<EmailRolePermissions> EmailRolePermissions => Set<EmailRolePermissions>();
    public DbSet<BillingAccount> BillingAccounts => Set<BillingAccount>();
    public DbSet<PaymentMethodOnFile> PaymentMethods => Set<PaymentMethodOnFile>();
    public DbSet<AccountSlot> AccountSlots => Set<AccountSlot>();
    public DbSet<LedgerLine> LedgerLines => Set<LedgerLine>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfiguration(new RcptRefusalMapping());
        builder.ApplyConfiguration(new MailAccountMapping());
        builder.ApplyConfiguration(new MailThreadIdMapping());
        builder.ApplyConfiguration(new OutboundEmailMapping());
        builder.ApplyConfiguration(new OutboundAttachmentMapping());
        builder.ApplyConfiguration(new AccountWatchMapping());
        builder.ApplyConfiguration(new AccountGrantMapping());
        builder.ApplyConfiguration(new EmailRolePermissionsMapping());
        builder.ApplyConfiguration(new BillingAccountMapping());
        builder.ApplyConfiguration(new PaymentMethodOnFileMapping());
        builder.ApplyConfiguration(new AccountSlotMapping());
        builder.ApplyConfiguration(new LedgerLineMapping());

        builder.Entity<Workspace>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.PlanId).HasMaxLength(64);
        });
        builder.Entity<User>(e =>
        {
            e.Property(x => x.DisplayName).HasMaxLength(200);
            e.Property(x => x.TimeZone).HasMaxLength(100);
        });
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
            e.Property(x => x.EmailMessageId).HasMaxLength(1000);
            e.HasOne<Group>().WithMany().HasForeignKey(x => x.GroupId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.GroupId, x.CreatedAt });
            // The guard against posting one email twice, whatever crashes in between.
            e.HasIndex(x => new { x.InboundMessageId, x.IntegrationId }).IsUnique();
            // ... and against posting two copies of one email (same Message-ID) to one integration.
            e.HasIndex(x => new { x.IntegrationId, x.EmailMessageId }).IsUnique();
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
            e.Property(x => x.Authentication).HasMaxLength(1000);
            // Every index here is written by the intake's commit, which bounds the accept rate
            // (bench/RESULTS.md): the time-ordered Id gives arrival order, so no ReceivedAt index;
            // a message has its Message-ID only once processed, so rows still waiting stay out of that index.
            e.HasIndex(x => new { x.Status, x.Id });
            e.HasIndex(x => x.MessageIdHeader).HasFilter("\"MessageIdHeader\" IS NOT NULL");
            e.HasIndex(x => new { x.AccountId, x.ImapUidValidity, x.ImapUid }).IsUnique().HasFilter("\"AccountId\" IS NOT NULL");
        });

        builder.Entity<Space>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Description).HasMaxLength(2000);
        });
        builder.Entity<SpaceGuest>(e =>
        {
            e.HasKey(x => new { x.SpaceId, x.UserId });
            e.HasOne<Space>().WithMany().HasForeignKey(x => x.SpaceId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<TaskList>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.DoneStatus).HasMaxLength(100);
            e.Property(x => x.LocalPart).HasMaxLength(64);
            e.HasIndex(x => x.LocalPart).IsUnique();
            e.HasIndex(x => x.SpaceId);
            e.HasOne<Space>().WithMany().HasForeignKey(x => x.SpaceId).OnDelete(DeleteBehavior.Cascade);
            e.Ignore(x => x.OpenStatus);
        });
        builder.Entity<WorkTask>(e =>
        {
            e.ToTable("Tasks");
            e.Property(x => x.Name).HasMaxLength(1000);
            e.Property(x => x.Status).HasMaxLength(100);
            e.Property(x => x.CreatorEmail).HasMaxLength(320);
            e.Property(x => x.CreatorName).HasMaxLength(320);
            e.Property(x => x.LocalPart).HasMaxLength(64);
            e.Property(x => x.EmailMessageId).HasMaxLength(1000);
            e.HasIndex(x => x.LocalPart).IsUnique();
            e.HasIndex(x => new { x.ListId, x.CreatedAt });
            // The guards against making one email into two tasks of a list, whatever crashes or redeliveries.
            e.HasIndex(x => new { x.ListId, x.InboundMessageId }).IsUnique();
            e.HasIndex(x => new { x.ListId, x.EmailMessageId }).IsUnique();
            // The inbound log links a message to the task it made.
            e.HasIndex(x => x.InboundMessageId);
            e.HasOne<TaskList>().WithMany().HasForeignKey(x => x.ListId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(x => x.CreatedByUserId).OnDelete(DeleteBehavior.SetNull);
            e.HasMany(x => x.Assignees).WithOne().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Followers).WithOne().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<TaskAssignee>(e =>
        {
            e.HasKey(x => new { x.TaskId, x.UserId });
            e.HasIndex(x => x.UserId);
            e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<TaskFollower>(e =>
        {
            e.HasKey(x => new { x.TaskId, x.UserId });
            e.HasIndex(x => x.UserId);
            e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Comment>(e =>
        {
            e.Property(x => x.AuthorEmail).HasMaxLength(320);
            e.Property(x => x.AuthorName).HasMaxLength(320);
            e.Property(x => x.EmailMessageId).HasMaxLength(1000);
            e.HasIndex(x => new { x.TaskId, x.CreatedAt });
            e.HasIndex(x => new { x.TaskId, x.InboundMessageId }).IsUnique();
            e.HasIndex(x => new { x.TaskId, x.EmailMessageId }).IsUnique();
            // The inbound log links a message to the comment it made.
            e.HasIndex(x => x.InboundMessageId);
            e.HasOne<WorkTask>().WithMany().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Comment>().WithMany().HasForeignKey(x => x.ParentCommentId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(x => x.AuthorUserId).OnDelete(DeleteBehavior.SetNull);
        });
        builder.Entity<TaskAttachment>(e =>
        {
            e.Property(x => x.FileName).HasMaxLength(500);
            e.Property(x => x.ContentType).HasMaxLength(200);
            e.Property(x => x.BlobHash).HasMaxLength(64);
            e.HasIndex(x => x.TaskId);
            e.HasOne<WorkTask>().WithMany().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Comment>().WithMany().HasForeignKey(x => x.CommentId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<TaskActivity>(e =>
        {
            e.Property(x => x.Text).HasMaxLength(2000);
            e.Property(x => x.ActorEmail).HasMaxLength(320);
            e.HasIndex(x => new { x.TaskId, x.CreatedAt });
            e.HasOne<WorkTask>().WithMany().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Comment>().WithMany().HasForeignKey(x => x.CommentId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(x => x.ActorUserId).OnDelete(DeleteBehavior.SetNull);
        });
        builder.Entity<EmailAppSettings>(e =>
        {
            e.HasKey(x => x.WorkspaceId);
            e.HasOne<Workspace>().WithOne().HasForeignKey<EmailAppSettings>(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<EmailAppAuditEntry>(e =>
        {
            e.Property(x => x.Change).HasMaxLength(4000);
            e.HasIndex(x => new { x.WorkspaceId, x.At });
            e.HasOne<Workspace>().WithMany().HasForeignKey(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Notification>(e =>
        {
            e.Property(x => x.Text).HasMaxLength(1000);
            e.HasIndex(x => new { x.UserId, x.ReadAt, x.CreatedAt });
            e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<WorkTask>().WithMany().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Comment>().WithMany().HasForeignKey(x => x.CommentId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Accounts.MailAccount>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<CustomField>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(200);
            e.HasIndex(x => new { x.ListId, x.Position });
            e.HasOne<TaskList>().WithMany().HasForeignKey(x => x.ListId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<CustomFieldValue>(e =>
        {
            e.Property(x => x.Value).HasMaxLength(4000);
            e.HasIndex(x => new { x.TaskId, x.FieldId }).IsUnique();
            e.HasIndex(x => x.FieldId);
            e.HasOne<WorkTask>().WithMany().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<CustomField>().WithMany().HasForeignKey(x => x.FieldId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
