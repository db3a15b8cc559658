namespace Mailroom.Components.Shared;

/// <summary>
/// The words of <see cref="Sender"/>, for places that take text (an aria-label, a title): name
/// first, the address only when it adds something.
/// </summary>
public static class SenderName
{
    public static string Primary(string? memberName, string? name, string? address) =>
        Clean(memberName) ?? Clean(name) ?? Clean(address) ?? "(unknown sender)";

    /// <summary>The address, unless it is already the primary text or there is none.</summary>
    public static string? Secondary(string? memberName, string? name, string? address)
    {
        var mail = Clean(address);
        return mail is null || string.Equals(mail, Primary(memberName, name, address), StringComparison.OrdinalIgnoreCase) ? null : mail;
    }

    // Some clients put the address itself, or quotes, in the display name.
    private static string? Clean(string? value)
    {
        var trimmed = value?.Trim().Trim('"', '\'').Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
}
