using FleetMarket.Domain.Devices;

namespace FleetMarket.Web.Components.Shared;

/// <summary>A device's kind as people write it ("PC", not the enum's "Pc"), and with its accelerator when it has one.</summary>
public static class DeviceKindText
{
    public static string Label(DeviceKind kind) => kind switch
    {
        DeviceKind.Pc => "PC",
        DeviceKind.Other => "Other device",
        _ => kind.ToString(),
    };

    public static string WithAccelerator(DeviceKind kind, string? accelerator) =>
        string.IsNullOrWhiteSpace(accelerator) ? Label(kind) : $"{Label(kind)} · {accelerator}";
}
