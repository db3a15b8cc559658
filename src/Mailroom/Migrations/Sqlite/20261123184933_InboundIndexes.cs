using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailroom.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InboundIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_InboundMessages_MessageIdHeader",
                table: "InboundMessages");

            migrationBuilder.DropIndex(
                name: "IX_InboundMessages_ReceivedAt",
                table: "InboundMessages");

            migrationBuilder.DropIndex(
                name: "IX_InboundMessages_Status_ReceivedAt",
                table: "InboundMessages");

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_MessageIdHeader",
                table: "InboundMessages",
                column: "MessageIdHeader",
                filter: "\"MessageIdHeader\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_Status_Id",
                table: "InboundMessages",
                columns: new[] { "Status", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_InboundMessages_MessageIdHeader",
                table: "InboundMessages");

            migrationBuilder.DropIndex(
                name: "IX_InboundMessages_Status_Id",
                table: "InboundMessages");

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_MessageIdHeader",
                table: "InboundMessages",
                column: "MessageIdHeader");

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_ReceivedAt",
                table: "InboundMessages",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_Status_ReceivedAt",
                table: "InboundMessages",
                columns: new[] { "Status", "ReceivedAt" });
        }
    }
}
