using FleetMarket.Domain.Pricing;
using FleetMarket.Domain.Validation;
using FleetMarket.Protocol.Availability;
using FleetMarket.Protocol.Validation;

namespace FleetMarket.Domain.Devices;

/// <summary>An owner's device offered to the marketplace, and its pairing with the FleetMarket Worker.</summary>
public sealed class Device
{
    public static readonly TimeSpan PairingCodeLifetime = TimeSpan.FromMinutes(15);

    private Device()
    {
    }

    public Device(string ownerId, string name, DeviceKind kind, string accelerator, int memoryMb, string region,
        long askingPricePerHourMinor, string currency, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        OwnerId = ownerId;
        Currency = currency;
        Status = DeviceStatus.PendingPairing;
        CreatedAt = now;
        Describe(name, kind, accelerator, memoryMb, region, askingPricePerHourMinor);
    }

    /// <summary>What the owner says about the device and what they ask for its time.</summary>
    public void Describe(string name, DeviceKind kind, string accelerator, int memoryMb, string region, long askingPricePerHourMinor)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new DomainException("A device needs a name.");
        }

        if (askingPricePerHourMinor <= 0)
        {
            throw new DomainException("The asking price per device-hour must be above zero.");
        }

        if (askingPricePerHourMinor > UsagePricing.MaxPricePerHourMinor)
        {
            throw new DomainException($"The asking price per device-hour can be at most {UsagePricing.MaxPriceText(Currency)}.");
        }

        if (memoryMb < 0)
        {
            throw new DomainException("Memory cannot be negative.");
        }

        if (memoryMb > FieldLimits.MaxMemoryMb)
        {
            throw new DomainException($"Memory can be at most {FieldLimits.MaxMemoryMb:N0} MB.");
        }

        Name = PlainText.Require(name, "The device's name", FieldLimits.DeviceName);
        Kind = kind;
        Accelerator = PlainText.Require(accelerator, "The accelerator", FieldLimits.Accelerator, required: false);
        MemoryMb = memoryMb;
        Region = PlainText.Require(region, "The region", FieldLimits.Region, required: false);
        AskingPricePerHourMinor = askingPricePerHourMinor;
    }

    public Guid Id { get; private set; }
    public string OwnerId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public DeviceKind Kind { get; private set; }
    public string Accelerator { get; private set; } = "";
    public int MemoryMb { get; private set; }
    public string Region { get; private set; } = "";
    public long AskingPricePerHourMinor { get; private set; }
    public string Currency { get; private set; } = "";
    public DeviceStatus Status { get; private set; }
    public string? ExecutionProvider { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? LastSeenAt { get; private set; }

    /// <summary>SHA-256 of the one-time pairing code; the code itself is shown once and never stored.</summary>
    public string? PairingCodeHash { get; private set; }
    public DateTimeOffset? PairingCodeExpiresAt { get; private set; }

    /// <summary>SHA-256 of the device credential issued at pairing.</summary>
    public string? CredentialHash { get; private set; }

    /// <summary>When the owner lets the device compute.</summary>
    public AvailabilityPolicy Policy { get; private set; } = AvailabilityPolicy.Always;

    /// <summary>Inferences per second on the reference model, as the worker measured it.</summary>
    public double? BenchmarkScore { get; private set; }

    /// <summary>The execution providers ONNX Runtime offers on the device, comma-separated.</summary>
    public string? AvailableProviders { get; private set; }

    public string? WorkerVersion { get; private set; }

    /// <summary>Checked results that agreed with other owners' devices; counted by the verifier in the database.</summary>
    public int ValidResults { get; private set; }

    /// <summary>Checked results that were rejected.</summary>
    public int InvalidResults { get; private set; }

    /// <summary>Leases the device let run out without a result.</summary>
    public int TimedOutResults { get; private set; }

    /// <summary>Valid checked results since the last invalid one: how far the device is trusted (see <see cref="Verification.Reliability"/>).</summary>
    public int ValidStreak { get; private set; }

    public void SetPolicy(AvailabilityPolicy policy)
    {
        if (policy.Problem() is { } problem)
        {
            throw new DomainException(problem);
        }

        Policy = policy;
    }

    public void RecordCapabilities(IReadOnlyList<string> availableProviders, string executionProvider, double benchmarkScore,
        string workerVersion)
    {
        if (availableProviders is null || string.IsNullOrWhiteSpace(executionProvider) || string.IsNullOrWhiteSpace(workerVersion))
        {
            throw new DomainException("Capabilities name the available execution providers, the one in use and the worker's version.");
        }

        if (!double.IsFinite(benchmarkScore) || benchmarkScore is < 0 or > FieldLimits.MaxBenchmarkScore)
        {
            throw new DomainException($"A benchmark score is a number of inferences per second from 0 to {FieldLimits.MaxBenchmarkScore:N0}.");
        }

        if (!new ProviderListAttribute().IsValid(availableProviders))
        {
            throw new DomainException($"The available execution providers are plain names, at most {FieldLimits.AvailableProviders} characters in all.");
        }

        ExecutionProvider = PlainText.Require(executionProvider, "The execution provider", FieldLimits.ExecutionProvider);
        WorkerVersion = PlainText.Require(workerVersion, "The worker's version", FieldLimits.WorkerVersion);
        AvailableProviders = string.Join(",", availableProviders);
        BenchmarkScore = benchmarkScore;
    }

    /// <summary>The credential stops working; the device waits for a new pairing.</summary>
    public void RevokeCredential()
    {
        CredentialHash = null;
        if (Status != DeviceStatus.Suspended)
        {
            Status = DeviceStatus.PendingPairing;
        }
    }

    public void IssuePairingCode(string codeHash, DateTimeOffset now)
    {
        if (Status == DeviceStatus.Suspended)
        {
            throw new DomainException("A suspended device cannot be paired.");
        }

        PairingCodeHash = codeHash;
        PairingCodeExpiresAt = now + PairingCodeLifetime;
    }

    public bool PairingCodeIsValid(DateTimeOffset now) =>
        PairingCodeHash is not null && PairingCodeExpiresAt > now && Status != DeviceStatus.Suspended;

    /// <summary>Consumes the pairing code (single use) and installs the new credential.</summary>
    public void CompletePairing(string credentialHash, DateTimeOffset now)
    {
        if (!PairingCodeIsValid(now))
        {
            throw new DomainException("The pairing code is invalid or has expired.");
        }

        PairingCodeHash = null;
        PairingCodeExpiresAt = null;
        CredentialHash = credentialHash;
        Status = DeviceStatus.Online;
        LastSeenAt = now;
    }

    public void RecordPresence(DateTimeOffset seenAt, string executionProvider)
    {
        if (Status == DeviceStatus.Suspended)
        {
            return;
        }

        ExecutionProvider = PlainText.Require(executionProvider, "The execution provider", FieldLimits.ExecutionProvider);
        LastSeenAt = seenAt;
        Status = DeviceStatus.Online;
    }
}
