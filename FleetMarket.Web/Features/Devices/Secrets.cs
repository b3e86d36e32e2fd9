using System.Security.Cryptography;
using System.Text;

namespace FleetMarket.Web.Features.Devices;

/// <summary>Random secrets shown once and stored only as their SHA-256.</summary>
public static class Secrets
{
    // No 0/O, 1/I/L: pairing codes are read off a screen and typed on a device.
    private const string PairingAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    public static string NewPairingCode() =>
        RandomNumberGenerator.GetString(PairingAlphabet, 8);

    public static string NewCredential() => "fmd_" + RandomToken();

    public static string NewApiKey() => "fmk_" + RandomToken();

    private static string RandomToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Pairing codes are case-insensitive and may be typed with spaces or a dash.</summary>
    public static string NormalizePairingCode(string code) =>
        new(code.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
}
