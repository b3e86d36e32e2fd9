using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FleetMarket.Web.Data.Migrations.SqlServer
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
            migrationBuilder.DropForeignKey(name: "FK_CarLeases_AspNetUsers_OwnerId", table: "CarLeases");
            migrationBuilder.DropPrimaryKey(name: "PK_CarLeases", table: "CarLeases");
            migrationBuilder.RenameTable(name: "CarLeases", newName: "CarPaymentPlans");
            migrationBuilder.RenameIndex(name: "IX_CarLeases_OwnerId", table: "CarPaymentPlans", newName: "IX_CarPaymentPlans_OwnerId");
            migrationBuilder.AddPrimaryKey(name: "PK_CarPaymentPlans", table: "CarPaymentPlans", column: "Id");
            migrationBuilder.AddForeignKey(name: "FK_CarPaymentPlans_AspNetUsers_OwnerId", table: "CarPaymentPlans", column: "OwnerId",
                principalTable: "AspNetUsers", principalColumn: "Id", onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(name: "FK_CarPaymentPlans_AspNetUsers_OwnerId", table: "CarPaymentPlans");
            migrationBuilder.DropPrimaryKey(name: "PK_CarPaymentPlans", table: "CarPaymentPlans");
            migrationBuilder.RenameTable(name: "CarPaymentPlans", newName: "CarLeases");
            migrationBuilder.RenameIndex(name: "IX_CarPaymentPlans_OwnerId", table: "CarLeases", newName: "IX_CarLeases_OwnerId");
            migrationBuilder.AddPrimaryKey(name: "PK_CarLeases", table: "CarLeases", column: "Id");
            migrationBuilder.AddForeignKey(name: "FK_CarLeases_AspNetUsers_OwnerId", table: "CarLeases", column: "OwnerId",
                principalTable: "AspNetUsers", principalColumn: "Id", onDelete: ReferentialAction.Cascade);
        }
    }
}
