using FleetMarket.Domain.Jobs;
using FleetMarket.Domain.Verification;
using FleetMarket.Protocol;
using FleetMarket.Protocol.Tensors;
using FleetMarket.Tests.Builders;
using FleetMarket.Tests.Unit.Protocol.Tensors;
using FleetMarket.Web.Blobs;
using FleetMarket.Web.Data;
using FleetMarket.Web.Features.Devices;
using FleetMarket.Web.Features.WorkerProtocol;
using FleetMarket.Worker.Inference;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FleetMarket.Tests.Simulation;

/// <summary>What a simulated device sends back for a unit.</summary>
public enum Behaviour
{
    Honest,

    /// <summary>Random numbers of the right shape.</summary>
    RandomWrong,

    /// <summary>Zeros of the right shape, without running the model.</summary>
    LazyZeros,

    /// <summary>Its first (honest) output again for every later unit.</summary>
    LazyCopy,

    /// <summary>The same wrong answer as the owner's other colluding device: the right one plus one.</summary>
    Colluding,
}

/// <summary>What a simulation found: results sent, how many were wrong, and what became of them.</summary>
public sealed record SimulationOutcome(int Units, int UnitsAccepted, int Runs, int WrongSent, int WrongAccepted, long PaidForRejectedMinor,
    int CheatingDevices)
{
    /// <summary>Runs beyond one per unit, as a share of the units: what checking cost.</summary>
    public double Overhead => (Runs - Units) / (double)Units;

    public double WrongRejectedShare => WrongSent == 0 ? 1 : 1 - (WrongAccepted / (double)WrongSent);
}

/// <summary>
/// A fleet of devices of given behaviours working one adaptive job through the app's own dispatch and completion
/// services, in process (no HTTP, for speed): each device leases, computes or cheats, and completes, in a random
/// order, until the job has nothing left to run. The device's record is read afresh for every lease, as the
/// credential cache would after a minute of real time. With <c>newDevices</c>, a cheating device whose record
/// marks it failing is replaced by a newly paired device of the same owner (owners are known to Stripe; devices are
/// cheap), which starts with a clean record and keeps sending wrong outputs.
/// </summary>
public sealed class CheatingFleet(FleetApp app)
{
    private readonly MarketplaceBuilder _market = new(app);
    private readonly List<(PairedDevice Device, Behaviour Behaviour)> _devices = [];
    private readonly Dictionary<Guid, NpyArray> _firstOutputs = [];
    private readonly Random _random = new(20261124);
    private int _replaced;

    public async Task AddAsync(Behaviour behaviour, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            _devices.Add((await _market.PairedDeviceAsync(region: "sim"), behaviour));
        }
    }

    /// <summary>Two devices of one owner that return the same wrong answer.</summary>
    public async Task AddColludingPairAsync()
    {
        var first = await _market.PairedDeviceAsync(region: "sim");
        _devices.Add((first, Behaviour.Colluding));
        _devices.Add((await _market.PairedDeviceOfAsync(first.Owner, region: "sim"), Behaviour.Colluding));
    }

    public async Task<SimulationOutcome> RunAsync(int units, bool newDevices = false)
    {
        var buyer = await _market.BuyerWithBalanceAsync(10_000_00);
        var jobId = await _market.SubmitSampleJobAsync(buyer, rows: units, rowsPerUnit: 1, VerificationPolicy.Adaptive);
        var wrongSent = 0;
        var idlePasses = 0;
        while (idlePasses < 2)
        {
            var worked = false;
            foreach (var (device, behaviour) in _devices.OrderBy(_ => _random.Next()).ToList())
            {
                var wrong = await app.InScopeAsync(services => WorkOneUnitAsync(services, device, behaviour));
                worked |= wrong is not null;
                wrongSent += wrong == true ? 1 : 0;
            }

            idlePasses = worked ? 0 : idlePasses + 1;
            if (newDevices)
            {
                await ReplaceFailingCheatersAsync();
            }
        }

        return await app.InScopeAsync(services => OutcomeAsync(services, jobId, units, wrongSent));
    }

    private async Task ReplaceFailingCheatersAsync()
    {
        var cheaters = _devices.Where(d => d.Behaviour != Behaviour.Honest).Select(d => d.Device.DeviceId).ToList();
        var failing = (await app.QueryAsync(db => db.Devices.AsNoTracking().Where(d => cheaters.Contains(d.Id)).ToListAsync()))
            .Where(d => Reliability.IsFailing(d.ValidResults, d.InvalidResults, d.TimedOutResults))
            .Select(d => d.Id)
            .ToHashSet();
        for (var i = 0; i < _devices.Count; i++)
        {
            if (failing.Contains(_devices[i].Device.DeviceId))
            {
                _devices[i] = (await _market.PairedDeviceOfAsync(_devices[i].Device.Owner, region: "sim"), _devices[i].Behaviour);
                _replaced++;
            }
        }
    }

    /// <summary>Leases and completes one unit; null when the device was offered none, else whether its result was wrong.</summary>
    private async Task<bool?> WorkOneUnitAsync(IServiceProvider services, PairedDevice paired, Behaviour behaviour)
    {
        var db = services.GetRequiredService<FleetDbContext>();
        var device = await db.Devices.AsNoTracking().Where(d => d.Id == paired.DeviceId).Select(AuthenticatedDevice.FromDevice).SingleAsync();
        if ((await services.GetRequiredService<DispatchService>().LeaseAsync(device, conditions: null, maxUnits: 1)).SingleOrDefault() is not { } lease)
        {
            return null;
        }

        var input = Npz.Read(new MemoryStream(await services.GetRequiredService<IBlobStore>().ReadAllAsync(lease.InputSha256)), TestArrays.Trusted);
        var right = ReferenceModel.Compute(input[ReferenceModel.InputName]);
        var sent = behaviour switch
        {
            Behaviour.Honest => right,
            Behaviour.RandomWrong => NpyArray.FromFloats(right.ToFloats().Select(_ => (float)_random.NextDouble()).ToArray(), right.Shape),
            Behaviour.LazyZeros => NpyArray.FromFloats(new float[right.ElementCount], right.Shape),
            Behaviour.LazyCopy => _firstOutputs.TryGetValue(device.DeviceId, out var first) ? first : _firstOutputs[device.DeviceId] = right,
            Behaviour.Colluding => NpyArray.FromFloats(right.ToFloats().Select(x => x + 1).ToArray(), right.Shape),
            _ => throw new ArgumentOutOfRangeException(nameof(behaviour)),
        };
        var outputs = Npz.ToBytes(new Dictionary<string, NpyArray> { [ReferenceModel.OutputName] = sent });
        await services.GetRequiredService<CompletionService>().CompleteAsync(device, lease.LeaseId, new UnitResult(outputs, 1500, 1));
        return !OutputAgreement.Agree(Single(sent), Single(right), 0, 0);
    }

    private async Task<SimulationOutcome> OutcomeAsync(IServiceProvider services, Guid jobId, int units, int wrongSent)
    {
        var db = services.GetRequiredService<FleetDbContext>();
        var blobs = services.GetRequiredService<IBlobStore>();
        var runs = await db.WorkUnits.AsNoTracking().Where(u => u.JobId == jobId && u.OutputSha256 != null).ToListAsync();
        var wrongAccepted = 0;
        foreach (var unit in runs.Where(u => u.Status == WorkUnitStatus.Done))
        {
            var input = Npz.Read(new MemoryStream(await blobs.ReadAllAsync(unit.InputSha256)), TestArrays.Trusted);
            var output = Npz.Read(new MemoryStream(await blobs.ReadAllAsync(unit.OutputSha256!)), TestArrays.Trusted);
            wrongAccepted += OutputAgreement.Agree(output, Single(ReferenceModel.Compute(input[ReferenceModel.InputName])), 0, 0) ? 0 : 1;
        }

        var rejected = runs.Where(u => u.Status == WorkUnitStatus.Rejected).Select(u => u.Id).ToList();
        var usage = await db.UsageRecords.AsNoTracking().Where(u => u.JobId == jobId).ToListAsync();
        var accepted = runs.Where(u => u.Status == WorkUnitStatus.Done).Select(u => u.Index).Distinct().Count();
        return new SimulationOutcome(units, accepted, runs.Count, wrongSent, wrongAccepted,
            usage.Where(u => rejected.Contains(u.WorkUnitId)).Sum(u => u.ChargeMinor),
            _replaced + _devices.Count(d => d.Behaviour != Behaviour.Honest));
    }

    private static Dictionary<string, NpyArray> Single(NpyArray scores) => new() { [ReferenceModel.OutputName] = scores };
}
