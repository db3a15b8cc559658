using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Mailroom.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MessageIdConstraints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EmailMessageId",
                table: "Posts",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            // Existing posts get their email's Message-ID, except a later copy of an email
            // already posted to the same integration (the duplicates this index now prevents),
            // so that the index can be created whatever the data. Same SQL on both providers.
            migrationBuilder.Sql("""
                UPDATE "Posts" SET "EmailMessageId" = NULLIF((SELECT m."MessageIdHeader" FROM "InboundMessages" AS m WHERE m."Id" = "Posts"."InboundMessageId"), '')
                WHERE "InboundMessageId" IS NOT NULL AND "IntegrationId" IS NOT NULL;
                """);
            migrationBuilder.Sql("""
                UPDATE "Posts" SET "EmailMessageId" = NULL
                WHERE "EmailMessageId" IS NOT NULL AND EXISTS (SELECT 1 FROM "Posts" AS p
                    WHERE p."IntegrationId" = "Posts"."IntegrationId" AND p."EmailMessageId" = "Posts"."EmailMessageId" AND p."Id" < "Posts"."Id");
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Posts_IntegrationId_EmailMessageId",
                table: "Posts",
                columns: new[] { "IntegrationId", "EmailMessageId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Posts_IntegrationId_EmailMessageId",
                table: "Posts");

            migrationBuilder.DropColumn(
                name: "EmailMessageId",
                table: "Posts");
        }
    }
}
