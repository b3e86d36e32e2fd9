using Xunit.Abstractions;
using Xunit.Sdk;

namespace FleetMarket.Tests.Builders;

/// <summary>
/// One test body on every database the marketplace supports, as bitwarden runs its repository tests: the method takes
/// a <see cref="TestDatabase"/> and runs once per provider. SQLite always runs; the SQL Server case runs when
/// <see cref="TestDatabases.Variable"/> holds a connection string and otherwise shows as skipped, saying why. Every
/// case carries the traits <c>Category=Providers</c> and <c>Database=Sqlite|SqlServer</c> for <c>dotnet test --filter</c>.
/// </summary>
[XunitTestCaseDiscoverer("FleetMarket.Tests.Builders.ProviderTheoryDiscoverer", "FleetMarket.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ProviderTheoryAttribute : FactAttribute
{
    public const string Category = "Providers";
}

public sealed class ProviderTheoryDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var parameters = testMethod.Method.GetParameters().ToList();
        if (parameters is not [{ ParameterType: var type }] || type.ToRuntimeType() != typeof(TestDatabase))
        {
            return [new ExecutionErrorTestCase(diagnosticMessageSink, display, displayOptions, testMethod,
                $"[{nameof(ProviderTheoryAttribute)}] {testMethod.Method.Name} must take one {nameof(TestDatabase)} and nothing else.")];
        }

        return Enum.GetValues<TestDatabase>()
            .Select(database => new ProviderTestCase(diagnosticMessageSink, display, displayOptions, testMethod, database));
    }
}

/// <summary>
/// One provider's case of a <see cref="ProviderTheoryAttribute"/> test; the SQL Server case is skipped when no server is
/// configured. Decided where the case is initialised (at discovery, and again where it runs), not serialised with it.
/// </summary>
public sealed class ProviderTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes", error: true)]
    public ProviderTestCase()
    {
    }

    public ProviderTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay display, TestMethodDisplayOptions displayOptions,
        ITestMethod testMethod, TestDatabase database)
        : base(diagnosticMessageSink, display, displayOptions, testMethod, [database])
    {
    }

    private TestDatabase Database => (TestDatabase)TestMethodArguments[0];

    protected override string? GetSkipReason(IAttributeInfo factAttribute) =>
        Database == TestDatabase.SqlServer && TestDatabases.SqlServerConnectionString is null
            ? TestDatabases.SqlServerSkipReason
            : base.GetSkipReason(factAttribute);

    protected override void Initialize()
    {
        base.Initialize();
        AddTrait("Category", ProviderTheoryAttribute.Category);
        AddTrait("Database", Database.ToString());
    }

    private void AddTrait(string name, string value)
    {
        if (!Traits.TryGetValue(name, out var values))
        {
            Traits[name] = values = [];
        }

        values.Add(value);
    }
}
