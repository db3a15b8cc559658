namespace Mailroom.Accounts;

/// <summary>What the provider's redirect carries back (RFC 6749 4.1.2 and 4.1.2.1).</summary>
public sealed record OAuthCallback(string? Code, string? State, string? Error, string? ErrorDescription);
