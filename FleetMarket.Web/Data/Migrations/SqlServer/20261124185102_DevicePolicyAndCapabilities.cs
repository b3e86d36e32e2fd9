using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetMarket.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class DevicePolicyAndCapabilities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AvailableProviders",
                table: "Devices",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "BenchmarkScore",
                table: "Devices",
                type: "float",
                nullable: true);

            // Devices listed before policies existed may compute at any time, as they did.
            migrationBuilder.AddColumn<string>(
                name: "Policy",
                table: "Devices",
                type: "nvarchar(4000)",
                maxLength: 4000,
                nullable: false,
                defaultValue: "{\"timeZoneId\":\"UTC\",\"windows\":[],\"onlyWhileCharging\":false,\"minimumBatteryPercent\":null,\"departures\":[],\"maximumTemperatureCelsius\":null}");

            migrationBuilder.AddColumn<string>(
                name: "WorkerVersion",
                table: "Devices",
                type: "nvarchar(40)",
                maxLength: 40,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AvailableProviders",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "BenchmarkScore",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "Policy",
                table: "Devices");

            migrationBuilder.DropColumn(
                name: "WorkerVersion",
                table: "Devices");
        }
    }
}
