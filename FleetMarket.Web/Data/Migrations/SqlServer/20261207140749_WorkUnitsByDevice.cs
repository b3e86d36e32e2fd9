using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetMarket.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class WorkUnitsByDevice : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_WorkUnits_DeviceId_Status_LeaseExpiresAt",
                table: "WorkUnits",
                columns: new[] { "DeviceId", "Status", "LeaseExpiresAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkUnits_DeviceId_Status_LeaseExpiresAt",
                table: "WorkUnits");
        }
    }
}
