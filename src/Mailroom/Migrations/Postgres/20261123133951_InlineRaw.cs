using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailroom.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InlineRaw : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "Raw",
                table: "InboundMessages",
                type: "bytea",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_InboundMessages_MessageIdHeader",
                table: "InboundMessages",
                column: "MessageIdHeader");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_InboundMessages_MessageIdHeader",
                table: "InboundMessages");

            migrationBuilder.DropColumn(
                name: "Raw",
                table: "InboundMessages");
        }
    }
}
