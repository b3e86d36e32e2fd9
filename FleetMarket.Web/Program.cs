using FleetMarket.Web.Components;
using FleetMarket.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddFleetReverseProxy();
builder.AddFleetHttps();
builder.AddFleetData();
builder.AddFleetIdentity();
builder.AddMarketplace();
builder.AddFleetHangfire();
builder.AddFleetApi();
builder.AddFleetTelemetry();
builder.AddFleetUi();

var app = builder.Build();

app.UseFleetReverseProxy();
app.UseFleetHttps();
app.UseFleetSecurityHeaders();
app.UseExceptionHandler();
app.UseFleetStatusPages();
app.UseAuthentication();
app.UseFleetCrossOriginProtection();
app.UseRateLimiter();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapHealthChecks("/health");
app.MapOpenApi();
app.MapMarketplaceApis();
app.MapFleetMetrics();
app.MapFleetHangfireDashboard();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
