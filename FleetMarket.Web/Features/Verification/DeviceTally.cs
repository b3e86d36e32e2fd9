using FleetMarket.Domain.Jobs;
using FleetMarket.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace FleetMarket.Web.Features.Verification;

/// <summary>
/// What one decision found about the devices involved, applied as increments in the database so decisions on
/// different units of one device never overwrite each other's counts.
/// </summary>
public sealed class DeviceTally
{
    private readonly List<Guid> _valid = [];
    private readonly List<Guid> _invalid = [];

    public IReadOnlyList<Guid> ValidDevices => _valid;
    public IReadOnlyList<Guid> InvalidDevices => _invalid;

    /// <summary>Results the decision found wrong, whether or not a device's record is marked for them.</summary>
    public int RejectedResults { get; private set; }

    public void Valid(WorkUnit unit) => _valid.Add(unit.DeviceId!.Value);

    public void Invalid(WorkUnit unit)
    {
        _invalid.Add(unit.DeviceId!.Value);
        RejectedResults++;
    }

    /// <summary>Results rejected with no device to blame: no two owners agreed.</summary>
    public void Unresolved(int results) => RejectedResults += results;

    public async Task ApplyAsync(FleetDbContext db, CancellationToken cancellationToken)
    {
        foreach (var deviceId in _valid)
        {
            await db.Devices.Where(d => d.Id == deviceId).ExecuteUpdateAsync(set => set
                .SetProperty(d => d.ValidResults, d => d.ValidResults + 1)
                .SetProperty(d => d.ValidStreak, d => d.ValidStreak + 1), cancellationToken);
        }

        foreach (var deviceId in _invalid)
        {
            await db.Devices.Where(d => d.Id == deviceId).ExecuteUpdateAsync(set => set
                .SetProperty(d => d.InvalidResults, d => d.InvalidResults + 1)
                .SetProperty(d => d.ValidStreak, 0), cancellationToken);
        }
    }
}
