using FleetMarket.Domain;
using FleetMarket.Protocol;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Audit;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Devices;

/// <summary>Exchanges a one-time pairing code for a device credential.</summary>
public sealed class PairingService(FleetDbContext db, TimeProvider time, AuditTrail audit)
{
    public async Task<PairResponse> PairAsync(PairRequest request, CancellationToken cancellationToken = default)
    {
        var code = Secrets.NormalizePairingCode(request.Code ?? "");
        if (code.Length == 0)
        {
            throw new DomainException("A pairing code is required.");
        }

        var hash = Secrets.Hash(code);
        var now = time.GetUtcNow();
        var device = await db.Devices.SingleOrDefaultAsync(d => d.PairingCodeHash == hash, cancellationToken);
        if (device is null || !device.PairingCodeIsValid(now))
        {
            throw new DomainException("The pairing code is invalid or has expired. Ask the portal for a new one.");
        }

        var credential = Secrets.NewCredential();
        device.CompletePairing(Secrets.Hash(credential), now);
        audit.Record(Actor.System, "device.pair", $"device:{device.Id}", "pairing code exchanged for a device credential");
        await db.SaveChangesAsync(cancellationToken);
        return new PairResponse(device.Id, device.Name, credential);
    }
}
