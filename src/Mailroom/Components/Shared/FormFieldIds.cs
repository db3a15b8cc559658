namespace Mailroom.Components.Shared;

/// <summary>What a <see cref="FormField{TValue}"/> hands its control: the id the label points at, the
/// ids of its hint and error (null when it has neither) and "true" while the field is invalid.</summary>
public sealed record FormFieldIds(string Id, string? DescribedBy, string? Invalid);
