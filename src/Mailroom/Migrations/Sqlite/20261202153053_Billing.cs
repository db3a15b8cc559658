using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailroom.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Billing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "BillingAccounts",
                columns: table => new
                {
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Cycle = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RenewsOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    AnchorDay = table.Column<int>(type: "INTEGER", nullable: false),
                    ProcessorCustomerId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    GraceEndsAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RenewalAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastRenewalAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BillingAccounts", x => x.WorkspaceId);
                    table.ForeignKey(
                        name: "FK_BillingAccounts_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LedgerLines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    UnitPriceCents = table.Column<long>(type: "INTEGER", nullable: false),
                    DaysLeft = table.Column<int>(type: "INTEGER", nullable: false),
                    DaysInCycle = table.Column<int>(type: "INTEGER", nullable: false),
                    AmountCents = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Arithmetic = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    ProcessorChargeId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    IdempotencyKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DeclineCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DeclineMessage = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    SettledByLineId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LedgerLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LedgerLines_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_LedgerLines_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PaymentMethods",
                columns: table => new
                {
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Brand = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Last4 = table.Column<string>(type: "TEXT", maxLength: 4, nullable: false),
                    ExpiryMonth = table.Column<int>(type: "INTEGER", nullable: false),
                    ExpiryYear = table.Column<int>(type: "INTEGER", nullable: false),
                    ProcessorPaymentMethodId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaymentMethods", x => x.WorkspaceId);
                    table.ForeignKey(
                        name: "FK_PaymentMethods_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AccountSlots",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MailAccountId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PurchaseLineId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PurchasedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccountSlots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccountSlots_LedgerLines_PurchaseLineId",
                        column: x => x.PurchaseLineId,
                        principalTable: "LedgerLines",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AccountSlots_MailAccounts_MailAccountId",
                        column: x => x.MailAccountId,
                        principalTable: "MailAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_AccountSlots_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AccountSlots_MailAccountId",
                table: "AccountSlots",
                column: "MailAccountId",
                unique: true,
                filter: "\"MailAccountId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_AccountSlots_PurchaseLineId",
                table: "AccountSlots",
                column: "PurchaseLineId");

            migrationBuilder.CreateIndex(
                name: "IX_AccountSlots_WorkspaceId",
                table: "AccountSlots",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerLines_UserId",
                table: "LedgerLines",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerLines_WorkspaceId_At",
                table: "LedgerLines",
                columns: new[] { "WorkspaceId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerLines_WorkspaceId_IdempotencyKey",
                table: "LedgerLines",
                columns: new[] { "WorkspaceId", "IdempotencyKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccountSlots");

            migrationBuilder.DropTable(
                name: "BillingAccounts");

            migrationBuilder.DropTable(
                name: "PaymentMethods");

            migrationBuilder.DropTable(
                name: "LedgerLines");
        }
    }
}
