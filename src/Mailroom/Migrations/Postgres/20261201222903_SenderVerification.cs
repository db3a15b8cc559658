using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailroom.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SenderVerification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "SenderUnverified",
                table: "Tasks",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "SenderUnverified",
                table: "Posts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Authentication",
                table: "InboundMessages",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "FromAuthenticated",
                table: "InboundMessages",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "SenderUnverified",
                table: "Comments",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SenderUnverified",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "SenderUnverified",
                table: "Posts");

            migrationBuilder.DropColumn(
                name: "Authentication",
                table: "InboundMessages");

            migrationBuilder.DropColumn(
                name: "FromAuthenticated",
                table: "InboundMessages");

            migrationBuilder.DropColumn(
                name: "SenderUnverified",
                table: "Comments");
        }
    }
}
