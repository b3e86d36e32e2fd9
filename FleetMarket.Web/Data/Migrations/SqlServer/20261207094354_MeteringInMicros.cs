using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetMarket.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class MeteringInMicros : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ChargeMicros",
                table: "UsageRecords",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "Meterings",
                columns: table => new
                {
                    JobId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    OwnerId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: false),
                    ChargeMicros = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Meterings", x => new { x.JobId, x.OwnerId });
                });

            // Usage recorded before metering in micros was charged whole minor units a record: those are its exact
            // charges, and each job and owner's running total starts from their sum. EXEC, because the reviewed script
            // runs a migration as one batch, and SQL Server compiles a batch before the new column exists.
            migrationBuilder.Sql("EXEC(N'UPDATE UsageRecords SET ChargeMicros = ChargeMinor * 1000000');");
            migrationBuilder.Sql("""
                EXEC(N'INSERT INTO Meterings (JobId, OwnerId, ChargeMicros)
                SELECT JobId, OwnerId, SUM(ChargeMinor) * 1000000 FROM UsageRecords GROUP BY JobId, OwnerId');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Meterings");

            migrationBuilder.DropColumn(
                name: "ChargeMicros",
                table: "UsageRecords");
        }
    }
}
