using System.Reflection;
using System.Text.RegularExpressions;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace FleetMarket.Tests.Unit.SqlServer;

/// <summary>
/// No SQL Server runs in CI, so Microsoft's T-SQL parser reads what the app runs there: every statement written by hand,
/// exactly the text the app sends, and the reviewed migration script. A new hand-written statement registers itself by
/// carrying <see cref="SqlServerStatementAttribute"/>; <see cref="RawSql_EveryCallSite_IsMarkedOrSqliteOnly"/> fails on
/// raw SQL in FleetMarket.Web that is neither marked nor listed in <see cref="SqliteOnly"/>.
/// </summary>
public sealed partial class TSqlParseTests
{
    /// <summary>Files of FleetMarket.Web whose raw SQL never runs on SQL Server, and why.</summary>
    private static readonly Dictionary<string, string> SqliteOnly = new()
    {
        ["Data/SqlitePragmas.cs"] = "SQLite's connection pragmas",
        ["Hosting/DatabaseMigrator.cs"] = "PRAGMA journal_mode, under IsSqlite()",
        ["Features/Settlement/SqliteUsageSettlement.cs"] = "the SQLite settlement",
        ["Features/Settlement/IUsageSettlement.cs"] = "Command(), which runs the text its caller passes",
    };

    private static readonly string MigrationScript = Path.Combine(Repository.Root, "migrations", "sqlserver", "FleetMarket.sql");

    /// <summary>The names (Type.Member) of the statements marked <see cref="SqlServerStatementAttribute"/>.</summary>
    public static TheoryData<string> Statements() => new(Marked().Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Statements))]
    public void Statement_AsTheAppRunsIt_ParsesAsTSql(string name) => AssertParses(name, Text(name));

    [Theory]
    [MemberData(nameof(Statements))]
    public void Statement_NamesOnlyTablesOfTheModel(string name)
    {
        using var db = SqlServerContext();
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        var names = new TableNames();
        Parse(Text(name), out _).Accept(names);

        var unknown = names.Tables.Except(names.Aliases, StringComparer.OrdinalIgnoreCase).Except(tables, StringComparer.OrdinalIgnoreCase).ToList();
        Assert.True(unknown.Count == 0, $"{name} names tables the SQL Server model does not map: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void MigrationScript_ParsesAsTSql()
    {
        var script = AssertParses(Path.GetRelativePath(Repository.Root, MigrationScript), File.ReadAllText(MigrationScript));

        Assert.True(script.Batches.Count > 1, "The migration script's GO separators were not read as batches.");
    }

    /// <summary>The script runs some statements as EXEC(N'…'), hand-written ones among them: their text is parsed too.</summary>
    [Fact]
    public void MigrationScript_DynamicSql_ParsesAsTSql()
    {
        var dynamicSql = new DynamicSql();
        Parse(File.ReadAllText(MigrationScript), out _).Accept(dynamicSql);

        Assert.NotEmpty(dynamicSql.Statements);
        Assert.All(dynamicSql.Statements, s => AssertParses($"EXEC at line {s.Line} of the migration script", s.Sql));
    }

    [Fact]
    public void RawSql_EveryCallSite_IsMarkedOrSqliteOnly()
    {
        var web = Path.Combine(Repository.Root, "FleetMarket.Web");
        var files = Directory.EnumerateFiles(web, "*.cs", SearchOption.AllDirectories)
            .Select(path => (Name: Path.GetRelativePath(web, path).Replace('\\', '/'), Text: File.ReadAllText(path)))
            .Where(f => !f.Name.StartsWith("Data/Migrations/", StringComparison.Ordinal)
                && !f.Name.StartsWith("bin/", StringComparison.Ordinal) && !f.Name.StartsWith("obj/", StringComparison.Ordinal))
            .Select(f => (f.Name, CallSites: RawSqlCallSite().Count(f.Text), Marked: MarkedStatement().Count(f.Text)))
            .ToList();

        var unmarked = files.Where(f => !SqliteOnly.ContainsKey(f.Name) && f.CallSites > f.Marked)
            .Select(f => $"{f.Name}: {f.CallSites} raw SQL call site(s), {f.Marked} [SqlServerStatement]").ToList();
        Assert.True(unmarked.Count == 0, "Raw SQL that may run on SQL Server and is not parsed: mark the statement [SqlServerStatement] "
            + "(a const string, or a static method returning the FormattableString), or list a SQLite-only file in SqliteOnly.\n"
            + string.Join("\n", unmarked));
        Assert.All(SqliteOnly.Keys, name => Assert.Contains(files, f => f.Name == name && f.CallSites > 0));
    }

    private static Dictionary<string, MemberInfo> Marked() =>
        typeof(SqlServerStatementAttribute).Assembly.GetTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.IsDefined(typeof(SqlServerStatementAttribute)))
            .ToDictionary(m => $"{m.DeclaringType!.Name}.{m.Name}");

    /// <summary>The text the app sends: a constant as it is, a FormattableString as EF Core's ExecuteSql renders it (@p0, @p1…).</summary>
    private static string Text(string name)
    {
        switch (Marked()[name])
        {
            case FieldInfo { IsLiteral: true } field when field.FieldType == typeof(string):
                return (string)field.GetRawConstantValue()!;
            case MethodInfo method when method.ReturnType == typeof(FormattableString):
                var arguments = method.GetParameters()
                    .Select(p => p.ParameterType == typeof(string) ? "" : Activator.CreateInstance(p.ParameterType)).ToArray();
                var sql = (FormattableString)method.Invoke(null, arguments)!;
                using (var db = SqlServerContext())
                {
                    return db.GetService<IRawSqlCommandBuilder>().Build(sql.Format, sql.GetArguments().Select(a => a!), db.Model).RelationalCommand.CommandText;
                }

            default:
                throw new InvalidOperationException($"{name}: [SqlServerStatement] marks a const string or a static method returning FormattableString.");
        }
    }

    /// <summary>A SQL Server context that never connects: enough for its model and its SQL generation.</summary>
    private static SqlServerFleetDbContext SqlServerContext() =>
        new(new DbContextOptionsBuilder<SqlServerFleetDbContext>().UseSqlServer("Server=unused;Database=FleetMarket").Options);

    private static TSqlFragment Parse(string sql, out IList<ParseError> errors)
    {
        // SQL Server 2022 (compatibility level 160), the server docker-compose.yml runs; SqlClient connects with
        // QUOTED_IDENTIFIER ON, so "Name" is an identifier.
        using var reader = new StringReader(sql);
        return new TSql160Parser(initialQuotedIdentifiers: true).Parse(reader, out errors);
    }

    private static TSqlScript AssertParses(string name, string sql)
    {
        var script = Parse(sql, out var errors);
        var lines = sql.Split('\n');
        Assert.True(errors.Count == 0, $"{name} is not valid T-SQL:\n" + string.Join("\n", errors.Select(e =>
            $"  line {e.Line}, column {e.Column}: {e.Message}\n    {(e.Line >= 1 && e.Line <= lines.Length ? lines[e.Line - 1].Trim() : "")}")));
        return (TSqlScript)script;
    }

    [GeneratedRegex(@"\.(?:ExecuteSql\w*|FromSql\w*|SqlQuery\w*)\s*[<(]|\.Command\(|\.CommandText\s*=(?!=)")]
    private static partial Regex RawSqlCallSite();

    [GeneratedRegex(@"\[SqlServerStatement\]")]
    private static partial Regex MarkedStatement();

    /// <summary>The tables a statement names, and the aliases and common table expressions it declares (DELETE b FROM … b names an alias).</summary>
    private sealed class TableNames : TSqlFragmentVisitor
    {
        public HashSet<string> Tables { get; } = new(StringComparer.OrdinalIgnoreCase);

        public HashSet<string> Aliases { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>The model's tables: unqualified or in dbo (system views and #temporary tables are not the model's).</summary>
        public override void Visit(NamedTableReference node)
        {
            var table = node.SchemaObject;
            if (table.SchemaIdentifier is null or { Value: "dbo" } && !table.BaseIdentifier.Value.StartsWith('#'))
            {
                Tables.Add(table.BaseIdentifier.Value);
            }
        }

        public override void Visit(TableReferenceWithAlias node)
        {
            if (node.Alias is { } alias)
            {
                Aliases.Add(alias.Value);
            }
        }

        public override void Visit(CommonTableExpression node) => Aliases.Add(node.ExpressionName.Value);
    }

    /// <summary>The text of each EXEC('…') of string literals.</summary>
    private sealed class DynamicSql : TSqlFragmentVisitor
    {
        public List<(int Line, string Sql)> Statements { get; } = [];

        public override void Visit(ExecutableStringList node)
        {
            if (node.Strings.All(s => s is StringLiteral))
            {
                Statements.Add((node.StartLine, string.Concat(node.Strings.Cast<StringLiteral>().Select(s => s.Value))));
            }
        }
    }
}
