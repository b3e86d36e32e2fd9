namespace FleetMarket.Domain;

/// <summary>A rule of the marketplace was broken by the request; the message is fit to show the user.</summary>
public class DomainException(string message) : Exception(message);
