namespace Mailroom.People;

/// <summary>A token as its owner sees it in the list: never its secret, never its hash.</summary>
public sealed record ApiTokenView(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, bool Expired);
