using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailroom.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PlansBillingRoles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "EmailUses",
                table: "Workspaces",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "PlanId",
                table: "LedgerLines",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "WatermarkOff",
                table: "EmailAppSettings",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "PendingPlanId",
                table: "BillingAccounts",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "EmailRolePermissions",
                columns: table => new
                {
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    AdminSendEmail = table.Column<bool>(type: "boolean", nullable: false),
                    AdminAddAccounts = table.Column<bool>(type: "boolean", nullable: false),
                    MemberSendEmail = table.Column<bool>(type: "boolean", nullable: false),
                    MemberAddAccounts = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmailRolePermissions", x => x.WorkspaceId);
                    table.ForeignKey(
                        name: "FK_EmailRolePermissions_AspNetUsers_UpdatedBy",
                        column: x => x.UpdatedBy,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_EmailRolePermissions_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EmailRolePermissions_UpdatedBy",
                table: "EmailRolePermissions",
                column: "UpdatedBy");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EmailRolePermissions");

            migrationBuilder.DropColumn(
                name: "EmailUses",
                table: "Workspaces");

            migrationBuilder.DropColumn(
                name: "PlanId",
                table: "LedgerLines");

            migrationBuilder.DropColumn(
                name: "WatermarkOff",
                table: "EmailAppSettings");

            migrationBuilder.DropColumn(
                name: "PendingPlanId",
                table: "BillingAccounts");
        }
    }
}
