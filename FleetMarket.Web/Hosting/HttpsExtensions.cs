using Microsoft.Extensions.Options;

namespace FleetMarket.Web.Hosting;

public static class HttpsExtensions
{
    public static WebApplicationBuilder AddFleetHttps(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HttpsOptions>().BindConfiguration(HttpsOptions.Section);
        return builder;
    }

    /// <summary>
    /// After the forwarded headers, so a request a trusted proxy received over HTTPS counts as HTTPS. With no HTTPS
    /// port known (Kestrel on http only, behind a TLS-terminating proxy) the redirection logs once and passes through.
    /// </summary>
    public static WebApplication UseFleetHttps(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment() && app.Services.GetRequiredService<IOptions<HttpsOptions>>().Value.Enforce)
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        return app;
    }
}
