using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetMarket.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Verification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkUnits_JobId_Index",
                table: "WorkUnits");

            migrationBuilder.AddColumn<int>(
                name: "DecisionVersion",
                table: "WorkUnits",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "OwnerId",
                table: "WorkUnits",
                type: "TEXT",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Replica",
                table: "WorkUnits",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<double>(
                name: "Verification_AbsoluteTolerance",
                table: "Jobs",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<string>(
                name: "Verification_Mode",
                table: "Jobs",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<double>(
                name: "Verification_RelativeTolerance",
                table: "Jobs",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<int>(
                name: "Verification_Replicas",
                table: "Jobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "InvalidResults",
                table: "Devices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "TimedOutResults",
                table: "Devices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ValidResults",
                table: "Devices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ValidStreak",
                table: "Devices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_WorkUnits_JobId_Index_Replica",
                table: "WorkUnits",
                columns: new[] { "JobId", "Index", "Replica" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkUnits_JobId_Index_Replica",
                table: "WorkUnits");

            migrationBuilder.DropColumn(
                name: "DecisionVersion",
                table: "WorkUnits");

            migrationBuilder.DropColumn(
                name: "OwnerId",
                table: "WorkUnits");

            migrationBuilder.DropColumn(
                name: "Replica",
                table: "WorkUnits");

            migrationBuilder.DropColumn(
                name: "Verification_AbsoluteTolerance",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Verification_Mode",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Verification_RelativeTolerance",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "Verification_Replicas",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "InvalidResults",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "TimedOutResults",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "ValidResults",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "ValidStreak",
                table: "Devices");

            migrationBuilder.CreateIndex(
                name: "IX_WorkUnits_JobId_Index",
                table: "WorkUnits",
                columns: new[] { "JobId", "Index" },
                unique: true);
        }
    }
}
