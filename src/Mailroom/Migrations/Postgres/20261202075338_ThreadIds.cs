using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailroom.Migrations.Postgres
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
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ImapUid",
                table: "InboundMessages",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ImapUidValidity",
                table: "InboundMessages",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "MailThreadIds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageId = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    TaskId = table.Column<Guid>(type: "uuid", nullable: false),
                    CommentId = table.Column<Guid>(type: "uuid", nullable: true),
                    OutboundEmailId = table.Column<Guid>(type: "uuid", nullable: true),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
