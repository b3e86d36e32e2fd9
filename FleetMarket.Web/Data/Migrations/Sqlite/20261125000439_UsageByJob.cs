using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetMarket.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UsageByJob : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_JobId",
                table: "UsageRecords",
                column: "JobId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UsageRecords_JobId",
                table: "UsageRecords");
        }
    }
}
