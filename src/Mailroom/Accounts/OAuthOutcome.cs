namespace Mailroom.Accounts;

/// <summary>
/// How an OAuth link ended, as the Email accounts page shows it: the saved account, or a stable
/// code (with the failing step of the connection test, or Microsoft's AADSTS number). Only these
/// enumerated values travel in the page's URL, never the provider's own words.
/// </summary>
public sealed record OAuthOutcome(Guid? AccountId, string? Code, ConnectionStep? Step = null, ConnectionFailure? Failure = null, int? Aadsts = null)
{
    public static OAuthOutcome Linked(Guid accountId) => new(accountId, null);

    public static OAuthOutcome Problem(string code, int? aadsts = null) => new(null, code, Aadsts: aadsts);

    /// <summary>The page's query string for this outcome.</summary>
    public string Query() => AccountId is { } id
        ? $"linked={id}"
        : $"problem={Uri.EscapeDataString(Code!)}" + (Step is { } s ? $"&step={s}" : "") + (Failure is { } f ? $"&failure={f}" : "") + (Aadsts is { } a ? $"&aadsts={a}" : "");
}
