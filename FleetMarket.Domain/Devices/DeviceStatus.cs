namespace FleetMarket.Domain.Devices;

public enum DeviceStatus
{
    PendingPairing,
    Online,
    Offline,
    Suspended,
}
