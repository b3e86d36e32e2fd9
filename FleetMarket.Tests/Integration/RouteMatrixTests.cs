using System.Net;
using System.Reflection;
using System.Text;
using FleetMarket.Domain.Accounts;
using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Reservations;
using FleetMarket.Protocol;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Web.Features.ApiKeys;
using FleetMarket.Web.Features.Jobs;
using FleetMarket.Web.Features.Reservations;
using FleetMarket.Worker.Inference;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FleetMarket.Tests.Integration;

/// <summary>
/// Every page and endpoint the app maps, called as every kind of caller: only the callers the rule table
/// names get through, and of those only the one whose resource the route names.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RouteMatrixTests(RouteMatrixTests.World world, ITestOutputHelper output) : IClassFixture<RouteMatrixTests.World>
{
    /// <summary>Who may call a route. Portal audiences need the portal's sign-in cookie; bearer credentials do not open pages.</summary>
    public enum Audience
    {
        /// <summary>Anyone; what guards it, if anything, is in the rule's reason.</summary>
        Public,
        Owner,
        Buyer,
        Finance,
        Admin,

        /// <summary>A buyer, signed in to the portal or calling with one of their API keys.</summary>
        BuyerApi,

        /// <summary>A paired device, by the credential it got at pairing.</summary>
        Device,
    }

    /// <summary>
    /// The access rules, by route pattern: <c>*</c> is one segment, <c>**</c> any rest. The first rule that
    /// matches decides, so exceptions come before the rule they carve out of. A route no rule matches fails
    /// <see cref="EveryMappedRoute_IsCoveredByAnAccessRule"/>: a new route needs a decision here.
    /// </summary>
    public static readonly IReadOnlyList<(string Pattern, Audience Audience, string Reason)> Rules =
    [
        ("/", Audience.Public, "the landing page; the signed-in see their own dashboard"),
        ("/account/login", Audience.Public, "sign-in"),
        ("/account/register", Audience.Public, "sign-up, as an owner or a buyer only"),
        ("/account/access-denied", Audience.Public, "where refused people are sent"),
        ("/account/logout", Audience.Public, "signs out the caller only, and only with the form's antiforgery token"),
        ("/not-found", Audience.Public, "the not-found page"),
        ("/Error", Audience.Public, "the error page"),
        ("/health", Audience.Public, "for load balancers; says Healthy or not, nothing more"),
        ("/openapi/*", Audience.Public, "the API's description"),
        ("/_blazor/**", Audience.Public, "Blazor Server's circuit: it carries the signed-in user, and each page authorizes itself"),
        ("/_framework/**", Audience.Public, "Blazor's redirect helper"),
        ("/api/worker/pair", Audience.Public, "guarded by the one-time pairing code, and rate limited"),
        ("/api/stripe/webhook", Audience.Public, "guarded by Stripe's signature"),
        ("/owner/**", Audience.Owner, "the owner portal"),
        ("/downloads/worker/*", Audience.Owner, "the published worker, for owners to install on their devices"),
        ("/buyer/**", Audience.Buyer, "the buyer portal"),
        ("/finance/**", Audience.Finance, "the finance portal"),
        ("/admin/**", Audience.Admin, "the admin portal and the Hangfire dashboard"),
        ("/metrics", Audience.Admin, "Prometheus's scrape of the marketplace's meters: the fleet's size and traffic"),
        ("/api/worker/**", Audience.Device, "the worker protocol"),
        ("/api/jobs/**", Audience.BuyerApi, "buyers' jobs"),
        ("/api/balance", Audience.BuyerApi, "a buyer's balance"),
        ("/api/balance/history.csv", Audience.BuyerApi, "a buyer's own balance history"),
        ("/api/capacity", Audience.BuyerApi, "capacity on offer"),
        ("/api/reservations/**", Audience.BuyerApi, "buyers' reservations"),
    ];

    [Fact]
    public void EveryMappedRoute_IsCoveredByAnAccessRule()
    {
        var routes = MappedRoutes(world.App).Select(route => route.RoutePattern.RawText!).Distinct().ToList();

        var uncovered = routes.Where(route => RuleFor(route) is null).ToList();
        var stale = Rules.Where(rule => !routes.Any(route => Matches(rule.Pattern, route))).Select(rule => rule.Pattern).ToList();

        Assert.True(uncovered.Count == 0,
            $"No access rule covers these routes; add each to {nameof(RouteMatrixTests)}.{nameof(Rules)}:\n  {string.Join("\n  ", uncovered)}");
        Assert.True(stale.Count == 0, $"These access rules match no mapped route; remove them:\n  {string.Join("\n  ", stale)}");
    }

    [Fact]
    public async Task EveryRoute_AsEveryCaller_OnlyTheIntendedCallersGetThrough()
    {
        var calls = new List<Call>();
        var problems = new List<string>();
        foreach (var endpoint in MappedRoutes(world.App).Where(e => RuleFor(e.RoutePattern.RawText!) is not null))
        {
            var audience = RuleFor(endpoint.RoutePattern.RawText!)!.Value.Audience;
            foreach (var method in MethodsOf(endpoint))
            {
                // A call that changes what it names (a cancel, a release) gets a fresh resource per caller, so no row depends on another.
                var changes = method != HttpMethods.Get && endpoint.RoutePattern.Parameters.Count > 0;
                foreach (var caller in world.Callers)
                {
                    var (path, owners, missing) = await world.PathForAsync(endpoint.RoutePattern, fresh: changes);
                    if (missing.Count > 0)
                    {
                        problems.Add($"{method} {endpoint.RoutePattern.RawText}: no value for {{{string.Join("}, {", missing)}}}; add one to {nameof(World)}.{nameof(World.PathForAsync)}");
                        break;
                    }

                    using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = MinimalBody(endpoint, method) };
                    using var response = await caller.Client.SendAsync(request);
                    var call = new Call(method, endpoint.RoutePattern.RawText!, path, caller, response.StatusCode, response.Headers.Location,
                        Expect(audience, caller, owners));
                    calls.Add(call);
                    if (call.Broken is { } broken)
                    {
                        problems.Add(broken);
                    }
                }
            }
        }

        output.WriteLine(Grid(calls));
        Assert.True(problems.Count == 0, $"{problems.Count} calls broke the access rules:\n  {string.Join("\n  ", problems)}");
    }

    private enum Expectation
    {
        /// <summary>Anyone may call: the route must not turn the caller away for who they are (nor fail, as no call may).</summary>
        NotDenied,
        Through,
        Refused,
    }

    private static Expectation Expect(Audience audience, Caller caller, IReadOnlyCollection<string> owners)
    {
        if (audience == Audience.Public)
        {
            return Expectation.NotDenied;
        }

        var admitted = audience switch
        {
            Audience.Owner => caller.Cookie && caller.Role == Roles.Owner,
            Audience.Buyer => caller.Cookie && caller.Role == Roles.Buyer,
            Audience.Finance => caller.Cookie && caller.Role == Roles.Finance,
            Audience.Admin => caller.Cookie && caller.Role == Roles.Admin,
            Audience.BuyerApi => caller.Role == Roles.Buyer,
            Audience.Device => caller.DeviceId is not null,
            _ => false,
        };
        return admitted && owners.All(owner => owner == caller.PrincipalId) ? Expectation.Through : Expectation.Refused;
    }

    private sealed record Call(string Method, string Route, string Path, Caller Caller, HttpStatusCode Status, Uri? Location, Expectation Expected)
    {
        private bool SentToSignIn => IsRedirect && Location!.OriginalString.Contains("/account/login", StringComparison.OrdinalIgnoreCase);

        private bool SentToAccessDenied => IsRedirect && Location!.OriginalString.Contains("/account/access-denied", StringComparison.OrdinalIgnoreCase);

        private bool IsRedirect => (int)Status is >= 300 and < 400 && Location is not null;

        private bool Denied => Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || SentToSignIn || SentToAccessDenied;

        private bool Refused => Denied || Status == HttpStatusCode.NotFound;

        public string Outcome => SentToSignIn ? "→login" : SentToAccessDenied ? "→denied" : ((int)Status).ToString();

        public string? Broken
        {
            get
            {
                var what = $"{Method} {Path} ({Route}) as {Caller.Name}: {Outcome}";
                if ((int)Status >= 500)
                {
                    return $"{what}: the app failed";
                }

                return Expected switch
                {
                    Expectation.NotDenied when Denied => $"{what}, but the route is public",
                    Expectation.Through when Refused => $"{what}, but this caller should get through",
                    Expectation.Refused when !Refused => $"{what}, but this caller should be refused (401, 403, 404, or sent to sign in or access denied)",
                    _ => null,
                };
            }
        }
    }

    /// <summary>Every route the app maps, less the static files (<c>MapStaticAssets</c>: hashed assets and, in development, its file fallback).</summary>
    internal static List<RouteEndpoint> MappedRoutes(FleetApp app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<StaticAssetDescriptor>() is null && e.RoutePattern.RawText != "{**path:file}")
            .ToList();

    private static (string Pattern, Audience Audience, string Reason)? RuleFor(string route) =>
        Rules.Where(rule => Matches(rule.Pattern, route)).Select(rule => ((string, Audience, string)?)rule).FirstOrDefault();

    private static bool Matches(string rulePattern, string route)
    {
        var rule = Segments(rulePattern);
        var path = Segments(route);
        for (var i = 0; i < rule.Length; i++)
        {
            if (rule[i] == "**")
            {
                return true;
            }

            if (i >= path.Length || (rule[i] != "*" && !string.Equals(rule[i], path[i], StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }

        return rule.Length == path.Length;
    }

    private static string[] Segments(string pattern) => pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The methods the route answers; HEAD is GET's twin, and a route that names none (a hub, a dashboard) is called with GET.</summary>
    internal static IEnumerable<string> MethodsOf(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Where(m => m != HttpMethods.Head).ToList() is { Count: > 0 } methods
            ? methods
            : [HttpMethods.Get];

    /// <summary>
    /// The least a call can carry: JSON endpoints get <c>{}</c>; form endpoints get a one-byte file for each file
    /// and 1 for each required field (so that ownership is checked before the content is); pages get an empty form.
    /// </summary>
    internal static HttpContent? MinimalBody(RouteEndpoint endpoint, string method)
    {
        if (method == HttpMethods.Get)
        {
            return null;
        }

        var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? [];
        if (accepts.Contains("multipart/form-data"))
        {
            var form = new MultipartFormDataContent();
            foreach (var parameter in endpoint.Metadata.GetMetadata<MethodInfo>()?.GetParameters() ?? [])
            {
                if (parameter.ParameterType == typeof(IFormFile))
                {
                    form.Add(new ByteArrayContent("x"u8.ToArray()), parameter.Name!, $"{parameter.Name}.bin");
                }
                else if (parameter.GetCustomAttributes().OfType<IFromFormMetadata>().Any()
                         && parameter.ParameterType.IsValueType && Nullable.GetUnderlyingType(parameter.ParameterType) is null)
                {
                    form.Add(new StringContent("1"), parameter.Name!);
                }
            }

            return form;
        }

        if (accepts.Contains("application/json"))
        {
            return new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null ? new FormUrlEncodedContent([]) : null;
    }

    /// <summary>Routes down, callers across, each cell the status (or where it was sent); a ! marks a broken rule.</summary>
    private static string Grid(List<Call> calls)
    {
        var callers = calls.Select(c => c.Caller.Name).Distinct().ToList();
        var rows = calls.GroupBy(c => $"{c.Method} {c.Route}").ToList();
        var width = rows.Max(r => r.Key.Length);
        var grid = new StringBuilder();
        grid.AppendLine($"{"".PadRight(width)} | {string.Join(" | ", callers.Select(name => name.PadLeft(9)))}");
        foreach (var row in rows)
        {
            var cells = callers.Select(name => row.FirstOrDefault(c => c.Caller.Name == name) is { } call
                ? ((call.Broken is null ? "" : "!") + call.Outcome).PadLeft(Math.Max(9, name.Length))
                : "".PadLeft(Math.Max(9, name.Length)));
            grid.AppendLine($"{row.Key.PadRight(width)} | {string.Join(" | ", cells)}");
        }

        return grid.ToString();
    }

    /// <summary>A caller: how it authenticates (the portal's cookie, a device credential, an API key, or nothing) and as whom.</summary>
    public sealed record Caller(string Name, HttpClient Client, string? Role = null, string? PrincipalId = null, bool Cookie = false,
        string? DeviceId = null);

    /// <summary>
    /// One marketplace for the whole matrix: two owners with a paired device each, two buyers (the first with a
    /// finished job, a job whose units the first device leases, a reservation and an API key),
    /// finance and admin staff. "The first" of each kind owns the resources the routes name.
    /// </summary>
    public sealed class World : IAsyncLifetime
    {
        private const string Region = "route-matrix";
        private MarketplaceBuilder _market = null!;
        private PairedDevice _device = null!;
        private TestUser _buyer = null!;
        private Guid _finishedJob;
        private Guid _reservation;
        private Guid _leaseId;
        private string _leasedInput = "";

        public FleetApp App { get; } = new(new()
        {
            ["Marketplace:PairingAttemptsPerMinute"] = "1000",
            ["Stripe:WebhookSecret"] = StripeStub.WebhookSecret,
        });

        public List<Caller> Callers { get; } = [];

        public async Task InitializeAsync()
        {
            // A published worker for the download route to serve.
            PublishedWorkers.Publish(App.WorkerBuildsPath, "linux-x64");
            _market = new MarketplaceBuilder(App);
            _device = await _market.PairedDeviceAsync(region: Region);
            var otherDevice = await _market.PairedDeviceAsync(region: Region);
            _buyer = await _market.BuyerWithBalanceAsync(1_000_00);
            var otherBuyer = await _market.BuyerWithBalanceAsync();

            _finishedJob = await _market.SubmitSampleJobAsync(_buyer, rows: 4, rowsPerUnit: 4);
            using (var worker = _market.DeviceClient(_device))
            {
                await MarketplaceBuilder.CompleteAllOfferedAsync(worker);
                await Eventually.TrueAsync(async () => (await App.InScopeAsync(s => s.GetRequiredService<JobService>().GetAsync(_buyer.Id, _finishedJob)))
                    .Status == JobStatus.Completed, TimeSpan.FromSeconds(30), "the first buyer's job to complete");
            }

            // Leases come from one urgent job of many units, first in the first buyer's queue, so every lease the
            // matrix takes finds a unit whatever else is open.
            await App.InScopeAsync(s => s.GetRequiredService<JobService>().SubmitAsync(_buyer.Id, new JobSubmission("Lease pool",
                ReferenceModel.Build(), "inputs.npy", Npy.ToBytes(MarketplaceBuilder.SampleInputs(60)), RowsPerUnit: 1, Priority: JobPriority.High)));
            var lease = await LeaseAsync();
            (_leaseId, _leasedInput) = (lease.LeaseId, lease.InputSha256);
            _reservation = await ReserveAsync();
            var apiKey = await App.InScopeAsync(s => s.GetRequiredService<ApiKeyService>().CreateAsync(_buyer.Id, "route matrix"));

            // Those who must be refused the first owner's and buyer's resources first, their rightful callers last.
            Callers.Add(new("anonymous", App.ProbeClient()));
            Callers.Add(await PortalAsync("other owner", otherDevice.Owner));
            Callers.Add(await PortalAsync("other buyer", otherBuyer));
            Callers.Add(await PortalAsync("finance", await TestUsers.CreateAsync(App, Roles.Finance)));
            Callers.Add(await PortalAsync("admin", await TestUsers.CreateAsync(App, Roles.Admin)));
            Callers.Add(DeviceCaller("other device", otherDevice));
            Callers.Add(await PortalAsync("owner", _device.Owner));
            Callers.Add(DeviceCaller("device", _device));
            Callers.Add(new("buyer key", App.ProbeClient(apiKey.Key), Roles.Buyer, _buyer.Id));
            Callers.Add(await PortalAsync("buyer", _buyer));
        }

        /// <summary>
        /// The route's path with its parameters filled in, and who owns what they name. Reads share the first
        /// buyer's and device's resources; a <paramref name="fresh"/> call gets new ones of its own.
        /// </summary>
        public async Task<(string Path, IReadOnlyCollection<string> Owners, IReadOnlyList<string> Missing)> PathForAsync(RoutePattern pattern, bool fresh)
        {
            var owners = new List<string>();
            var missing = new List<string>();
            var segments = new List<string>();
            foreach (var segment in pattern.PathSegments)
            {
                var text = new StringBuilder();
                foreach (var part in segment.Parts)
                {
                    switch (part)
                    {
                        case RoutePatternLiteralPart literal:
                            text.Append(literal.Content);
                            break;
                        case RoutePatternSeparatorPart separator:
                            text.Append(separator.Content);
                            break;
                        case RoutePatternParameterPart parameter:
                            var value = parameter.Name switch
                            {
                                "jobId" => (fresh ? await _market.SubmitSampleJobAsync(_buyer, rows: 4, rowsPerUnit: 4) : _finishedJob).ToString(),
                                "reservationId" => (fresh ? await ReserveAsync() : _reservation).ToString(),
                                "leaseId" => (fresh ? (await LeaseAsync()).LeaseId : _leaseId).ToString(),
                                "sha256" => _leasedInput,
                                "documentName" => "v1",
                                "month" => DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
                                "runtimeId" => "linux-x64",
                                "OwnerId" => _device.Owner.Id,
                                "path" => "",
                                _ => null,
                            };
                            if (value is null)
                            {
                                missing.Add(parameter.Name);
                            }

                            owners.AddRange(parameter.Name switch
                            {
                                "jobId" or "reservationId" => [_buyer.Id],
                                "leaseId" or "sha256" => [_device.DeviceId.ToString()],
                                _ => [],
                            });
                            text.Append(value);
                            break;
                    }
                }

                segments.Add(text.ToString());
            }

            return ("/" + string.Join("/", segments).TrimEnd('/'), owners, missing);
        }

        /// <summary>A new lease the first device holds, on a unit of the lease pool.</summary>
        private async Task<WorkUnitLease> LeaseAsync()
        {
            using var worker = _market.DeviceClient(_device);
            return await MarketplaceBuilder.LeaseAsync(worker) ?? throw new InvalidOperationException("The first device was offered no unit.");
        }

        /// <summary>An hour of the matrix's devices a day or more ahead, clear of the leases the dispatch rows take.</summary>
        private Task<Guid> ReserveAsync()
        {
            var start = DateTimeOffset.UtcNow.AddDays(1);
            return App.InScopeAsync(s => s.GetRequiredService<ReservationService>().ReserveAsync(_buyer.Id,
                new ReservationRequest(1, start, start.AddDays(4), new CapacityRequirements(Region: Region, MaxPricePerHourMinor: 500))));
        }

        private async Task<Caller> PortalAsync(string name, TestUser user) =>
            new(name, await TestUsers.SignedInClientAsync(App, user), user.Role, user.Id, Cookie: true);

        private Caller DeviceCaller(string name, PairedDevice device) =>
            new(name, App.ProbeClient(device.Credential), PrincipalId: device.DeviceId.ToString(), DeviceId: device.DeviceId.ToString());

        public async Task DisposeAsync()
        {
            foreach (var caller in Callers)
            {
                caller.Client.Dispose();
            }

            await App.DisposeAsync();
        }
    }
}
