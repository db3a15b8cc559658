namespace Mailroom.Plans;

/// <summary>The on/off features of a plan that <see cref="PlanGates"/> answers for.</summary>
public enum PlanFeature
{
    Scheduling,
    Signatures,
    Templates,
    WatermarkRemoval,
    CustomPermissions,
    ExtraAccountSlots,
}
