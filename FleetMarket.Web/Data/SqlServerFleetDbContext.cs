using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Data;

/// <summary>Production: SQL Server shared by several web nodes. Its migrations live in Data/Migrations/SqlServer.</summary>
public sealed class SqlServerFleetDbContext(DbContextOptions<SqlServerFleetDbContext> options) : FleetDbContext(options);
