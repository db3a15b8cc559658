using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailroom.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BillingCycleChoice : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Cycle",
                table: "LedgerLines",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingCycle",
                table: "BillingAccounts",
                type: "TEXT",
                maxLength: 16,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Cycle",
                table: "LedgerLines");

            migrationBuilder.DropColumn(
                name: "PendingCycle",
                table: "BillingAccounts");
        }
    }
}
