using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailroom.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ThreadIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "AccountId",
                table: "InboundMessages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ImapUid",
                table: "InboundMessages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ImapUidValidity",
                table: "InboundMessages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "MailThreadIds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    TaskId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OutboundEmailId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MailThreadIds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MailThreadIds_Tasks_TaskId",
                        column: x => x.TaskId,
                        principalTable: "Tasks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_AccountId_ImapUidValidity_ImapUid",
                table: "InboundMessages",
                columns: new[] { "AccountId", "ImapUidValidity", "ImapUid" },
                unique: true,
                filter: "\"AccountId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_MailThreadIds_MessageId_TaskId",
                table: "MailThreadIds",
                columns: new[] { "MessageId", "TaskId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MailThreadIds_TaskId",
                table: "MailThreadIds",
                column: "TaskId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MailThreadIds");

            migrationBuilder.DropIndex(
                name: "IX_InboundMessages_AccountId_ImapUidValidity_ImapUid",
                table: "InboundMessages");

            migrationBuilder.DropColumn(
                name: "AccountId",
                table: "InboundMessages");

            migrationBuilder.DropColumn(
                name: "ImapUid",
                table: "InboundMessages");

            migrationBuilder.DropColumn(
                name: "ImapUidValidity",
                table: "InboundMessages");
        }
    }
}
