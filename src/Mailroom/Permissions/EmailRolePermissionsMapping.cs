using Mailroom.People;
using Mailroom.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mailroom.Permissions;

public sealed class EmailRolePermissionsMapping : IEntityTypeConfiguration<EmailRolePermissions>
{
    public void Configure(EntityTypeBuilder<EmailRolePermissions> e)
    {
        e.ToTable("EmailRolePermissions");
        e.HasKey(x => x.WorkspaceId);
        e.HasOne<Workspace>().WithOne().HasForeignKey<EmailRolePermissions>(x => x.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<User>().WithMany().HasForeignKey(x => x.UpdatedBy).OnDelete(DeleteBehavior.SetNull);
    }
}
