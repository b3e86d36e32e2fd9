namespace FleetMarket.Web.Features;

/// <summary>The request was valid but the thing it acts on has moved on (a lease that ran out): 409.</summary>
public sealed class ConflictException(string message) : Exception(message);
