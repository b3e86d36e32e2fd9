using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetMarket.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Money : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Payouts_OwnerId",
                table: "Payouts");

            migrationBuilder.AddColumn<string>(
                name: "ReversalReason",
                table: "UsageRecords",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReversalSettledAt",
                table: "UsageRecords",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReversedAt",
                table: "UsageRecords",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Anomalies",
                table: "Payouts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "FailureReason",
                table: "Payouts",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PaidAt",
                table: "Payouts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "PayBy",
                table: "Payouts",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.AddColumn<string>(
                name: "ReviewNote",
                table: "Payouts",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "RunDate",
                table: "Payouts",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.AddColumn<bool>(
                name: "Simulated",
                table: "Payouts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "TransferId",
                table: "Payouts",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastBankPayoutAt",
                table: "PayoutAccounts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastBankPayoutFailure",
                table: "PayoutAccounts",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastBankPayoutStatus",
                table: "PayoutAccounts",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AuditLog",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditLog", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ReconciliationDifferences",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    FoundAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    LedgerMinor = table.Column<long>(type: "INTEGER", nullable: true),
                    StripeMinor = table.Column<long>(type: "INTEGER", nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ResolvedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReconciliationDifferences", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SettlementRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PeriodFrom = table.Column<long>(type: "INTEGER", nullable: true),
                    PeriodTo = table.Column<long>(type: "INTEGER", nullable: true),
                    UsageRecords = table.Column<int>(type: "INTEGER", nullable: false),
                    ChargedMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    FeesMinor = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SettlementRuns", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_ReversedAt_ReversalSettledAt",
                table: "UsageRecords",
                columns: new[] { "ReversedAt", "ReversalSettledAt" });

            // Payouts made before earnings were claimed into payable: open ones never claimed anything, so they
            // go and the next payout run rebuilds them from the owner's earnings; approved ones were already
            // posted as paid out (simulated) and become Paid, each on a run day of its own.
            migrationBuilder.Sql("DELETE FROM \"Payouts\" WHERE \"Status\" IN ('PendingReview', 'Held');");
            migrationBuilder.Sql("UPDATE \"Payouts\" SET \"Status\" = 'Paid', \"Simulated\" = 1, \"TransferId\" = 'legacy-' || \"Id\", \"RunDate\" = date('2000-01-01', '+' || rowid || ' days');");

            migrationBuilder.CreateIndex(
                name: "IX_Payouts_OwnerId_RunDate",
                table: "Payouts",
                columns: new[] { "OwnerId", "RunDate" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Payouts_TransferId",
                table: "Payouts",
                column: "TransferId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditLog_At",
                table: "AuditLog",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AuditLog_Subject",
                table: "AuditLog",
                column: "Subject");

            migrationBuilder.CreateIndex(
                name: "IX_ReconciliationDifferences_Kind_Reference",
                table: "ReconciliationDifferences",
                columns: new[] { "Kind", "Reference" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SettlementRuns_StartedAt",
                table: "SettlementRuns",
                column: "StartedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditLog");

            migrationBuilder.DropTable(
                name: "ReconciliationDifferences");

            migrationBuilder.DropTable(
                name: "SettlementRuns");

            migrationBuilder.DropIndex(
                name: "IX_UsageRecords_ReversedAt_ReversalSettledAt",
                table: "UsageRecords");

            migrationBuilder.DropIndex(
                name: "IX_Payouts_OwnerId_RunDate",
                table: "Payouts");

            migrationBuilder.DropIndex(
                name: "IX_Payouts_TransferId",
                table: "Payouts");

            migrationBuilder.DropColumn(
                name: "ReversalReason",
                table: "UsageRecords");

            migrationBuilder.DropColumn(
                name: "ReversalSettledAt",
                table: "UsageRecords");

            migrationBuilder.DropColumn(
                name: "ReversedAt",
                table: "UsageRecords");

            migrationBuilder.DropColumn(
                name: "Anomalies",
                table: "Payouts");

            migrationBuilder.DropColumn(
                name: "FailureReason",
                table: "Payouts");

            migrationBuilder.DropColumn(
                name: "PaidAt",
                table: "Payouts");

            migrationBuilder.DropColumn(
                name: "PayBy",
                table: "Payouts");

            migrationBuilder.DropColumn(
                name: "ReviewNote",
                table: "Payouts");

            migrationBuilder.DropColumn(
                name: "RunDate",
                table: "Payouts");

            migrationBuilder.DropColumn(
                name: "Simulated",
                table: "Payouts");

            migrationBuilder.DropColumn(
                name: "TransferId",
                table: "Payouts");

            migrationBuilder.DropColumn(
                name: "LastBankPayoutAt",
                table: "PayoutAccounts");

            migrationBuilder.DropColumn(
                name: "LastBankPayoutFailure",
                table: "PayoutAccounts");

            migrationBuilder.DropColumn(
                name: "LastBankPayoutStatus",
                table: "PayoutAccounts");

            migrationBuilder.CreateIndex(
                name: "IX_Payouts_OwnerId",
                table: "Payouts",
                column: "OwnerId");
        }
    }
}
