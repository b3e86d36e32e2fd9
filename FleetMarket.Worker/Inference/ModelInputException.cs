namespace FleetMarket.Worker.Inference;

/// <summary>The inputs do not fit the model (names, element types or shapes); the message says how.</summary>
public sealed class ModelInputException(string message) : ArgumentException(message);
