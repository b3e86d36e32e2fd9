namespace FleetMarket.Domain.Devices;

public enum DeviceKind
{
    Car,
    Pc,
    Phone,
    Other,
}
