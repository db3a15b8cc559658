namespace Mailroom.Accounts.Watching;

/// <summary>What the watcher knows of a message from its headers before it stores it.</summary>
public sealed record FetchedReply(Guid AccountId, string AccountEmail, long UidValidity, long Uid, string? From, string? MessageId, DateTimeOffset ReceivedAt);
