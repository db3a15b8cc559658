using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailroom.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "SenderUnverified",
                table: "Posts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Authentication",
                table: "InboundMessages",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "FromAuthenticated",
                table: "InboundMessages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "SenderUnverified",
                table: "Comments",
                type: "INTEGER",
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
