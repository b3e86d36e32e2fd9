using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Hosting;

/// <summary>
/// The load balancers allowed to say who the client is; from configuration section "ReverseProxy". Empty (the
/// default) trusts no one: X-Forwarded-* headers are ignored and the connection's own address counts.
/// </summary>
public sealed class ReverseProxyOptions
{
    public const string Section = "ReverseProxy";

    /// <summary>Addresses of trusted proxies, such as "10.0.0.5".</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, such as "172.31.254.0/24" for a compose network.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool TrustsAny => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}

/// <summary>
/// Behind a load balancer every request comes from the balancer's address: the per-address rate limits (pairing,
/// sign-in) would then throttle all clients as one. Taking X-Forwarded-For from trusted proxies only restores the
/// client's address without letting a client name its own.
/// </summary>
public static class ReverseProxy
{
    public static WebApplicationBuilder AddFleetReverseProxy(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReverseProxyOptions>().BindConfiguration(ReverseProxyOptions.Section)
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)),
                "ReverseProxy:KnownProxies must be IP addresses.")
            .Validate(o => o.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)),
                "ReverseProxy:KnownNetworks must be networks in CIDR notation, such as 172.31.254.0/24.")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ReverseProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;

            // Not even loopback by default: only what configuration names.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var address in proxy.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(address));
            }

            foreach (var network in proxy.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline, so that everything after it (rate limits, logging, redirects) sees the client.</summary>
    public static WebApplication UseFleetReverseProxy(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ReverseProxyOptions>>().Value.TrustsAny)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
