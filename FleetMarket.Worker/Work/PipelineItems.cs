using FleetMarket.Worker.Inference;

namespace FleetMarket.Worker.Work;

/// <summary>A unit ready to run: its inputs decoded.</summary>
public sealed record PreparedUnit(UnitInHand Unit, OrtInputs Inputs);

/// <summary>A unit run: its result, to keep and upload.</summary>
public sealed record FinishedUnit(UnitInHand Unit, PendingCompletion Result);
