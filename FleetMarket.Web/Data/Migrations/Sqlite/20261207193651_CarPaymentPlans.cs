using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetMarket.Web.Data.Migrations.Sqlite
{
    /// <summary>
    /// The car lease is a car payment plan (a lease or a loan): its table is renamed, rows kept. Hand-written: the
    /// scaffolder dropped and recreated the table.
    /// </summary>
    public partial class CarPaymentPlans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // SQLite keeps the key and foreign key names only in the table's definition; renaming them would rebuild it.
            migrationBuilder.RenameTable(name: "CarLeases", newName: "CarPaymentPlans");
            migrationBuilder.DropIndex(name: "IX_CarLeases_OwnerId", table: "CarPaymentPlans");
            migrationBuilder.CreateIndex(name: "IX_CarPaymentPlans_OwnerId", table: "CarPaymentPlans", column: "OwnerId", unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_CarPaymentPlans_OwnerId", table: "CarPaymentPlans");
            migrationBuilder.RenameTable(name: "CarPaymentPlans", newName: "CarLeases");
            migrationBuilder.CreateIndex(name: "IX_CarLeases_OwnerId", table: "CarLeases", column: "OwnerId", unique: true);
        }
    }
}
