using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailroom.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RcptRefusals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RcptRefusals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Address = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    MailFrom = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    RemoteAddress = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ReplyCode = table.Column<int>(type: "integer", nullable: false),
                    EnhancedCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ReplyText = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    FirstSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RcptRefusals", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_InboundMessageId",
                table: "Tasks",
                column: "InboundMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_Comments_InboundMessageId",
                table: "Comments",
                column: "InboundMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_RcptRefusals_Address_LastSeenAt",
                table: "RcptRefusals",
                columns: new[] { "Address", "LastSeenAt" });

            migrationBuilder.CreateIndex(
                name: "IX_RcptRefusals_LastSeenAt",
                table: "RcptRefusals",
                column: "LastSeenAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RcptRefusals");

            migrationBuilder.DropIndex(
                name: "IX_Tasks_InboundMessageId",
                table: "Tasks");

            migrationBuilder.DropIndex(
                name: "IX_Comments_InboundMessageId",
                table: "Comments");
        }
    }
}
