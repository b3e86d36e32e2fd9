namespace FleetMarket.Web.Features.Devices;

public static class DevicesRegistration
{
    /// <summary>Owners' devices: listing, editing, pairing and measured scores.</summary>
    public static IServiceCollection AddDevices(this IServiceCollection services)
    {
        services.AddSingleton<DeviceCredentialCache>();
        services.AddScoped<DeviceService>();
        services.AddScoped<DeviceListing>();
        services.AddScoped<MeasuredScores>();
        services.AddScoped<PairingService>();
        return services;
    }
}
