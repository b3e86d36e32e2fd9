using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FleetMarket.Web.Data;

/// <summary>Lets `dotnet ef` build each provider's context without starting the app or reaching a server.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteFleetDbContext>
{
    public SqliteFleetDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteFleetDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerFleetDbContext>
{
    public SqlServerFleetDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerFleetDbContext>()
            .UseSqlServer("Server=localhost;Database=FleetMarket;Trusted_Connection=True;TrustServerCertificate=True")
            .Options);
}
