namespace FleetMarket.Web.Data;

/// <summary>
/// Marks SQL written by hand that runs on SQL Server: a <c>const string</c> the app runs as it is, or a static method
/// returning the <see cref="FormattableString"/> it passes to <c>ExecuteSql</c>. No SQL Server runs in CI, so
/// FleetMarket.Tests (Unit/SqlServer/TSqlParseTests) parses every marked statement with Microsoft's T-SQL parser.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Method)]
public sealed class SqlServerStatementAttribute : Attribute;
