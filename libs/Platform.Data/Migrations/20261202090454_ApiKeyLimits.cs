using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Data.Migrations
{
    /// <inheritdoc />
    public partial class ApiKeyLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string[]>(
                name: "allowed_models",
                table: "api_keys",
                type: "text[]",
                nullable: false,
                defaultValue: new string[0]);

            migrationBuilder.AddColumn<string>(
                name: "budget_period",
                table: "api_keys",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "budget_usd",
                table: "api_keys",
                type: "numeric(20,10)",
                precision: 20,
                scale: 10,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "expires_at",
                table: "api_keys",
                type: "timestamp with time zone",
                nullable: true);

            // Scopes are enforced from now on; keys made before could call everything, and still may.
            migrationBuilder.Sql("UPDATE api_keys SET scopes = ARRAY['chat', 'embeddings', 'tools', 'usage:read'] WHERE cardinality(scopes) = 0;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "allowed_models",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "budget_period",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "budget_usd",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "expires_at",
                table: "api_keys");
        }
    }
}
