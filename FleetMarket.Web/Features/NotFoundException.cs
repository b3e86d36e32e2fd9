namespace FleetMarket.Web.Features;

/// <summary>The thing asked for does not exist, or is not the caller's to see (the answer is the same).</summary>
public sealed class NotFoundException(string message) : Exception(message);
