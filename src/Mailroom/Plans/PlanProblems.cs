namespace Mailroom.Plans;

/// <summary>The stable codes of the refusals a plan makes; clients switch on these, never on the message.</summary>
public static class PlanProblems
{
    public const string SchedulingLocked = "plan_scheduling_locked";
    public const string SignaturesLocked = "plan_signatures_locked";
    public const string TemplatesLocked = "plan_templates_locked";
    public const string WatermarkLocked = "plan_watermark_locked";
    public const string CustomPermissionsLocked = "plan_custom_permissions_locked";
    public const string ExtraSlotsLocked = "plan_extra_slots_locked";
    public const string EmailUsesReached = "plan_email_uses_reached";
    public const string EmailAccountsReached = "plan_email_accounts_reached";

    public static string LockedCode(PlanFeature feature) => feature switch
    {
        PlanFeature.Scheduling => SchedulingLocked,
        PlanFeature.Signatures => SignaturesLocked,
        PlanFeature.Templates => TemplatesLocked,
        PlanFeature.WatermarkRemoval => WatermarkLocked,
        PlanFeature.CustomPermissions => CustomPermissionsLocked,
        PlanFeature.ExtraAccountSlots => ExtraSlotsLocked,
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, null),
    };

    /// <summary>What the feature is, as the sentence of a refusal names it ("Free Forever does not include …").</summary>
    public static string Describe(PlanFeature feature) => feature switch
    {
        PlanFeature.Scheduling => "scheduling emails",
        PlanFeature.Signatures => "email signatures",
        PlanFeature.Templates => "email templates",
        PlanFeature.WatermarkRemoval => "removing the \"Sent using Mailroom\" footer",
        PlanFeature.CustomPermissions => "custom email permissions for roles",
        PlanFeature.ExtraAccountSlots => "buying extra email account slots",
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, null),
    };
}
