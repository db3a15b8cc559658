namespace Mailroom.Accounts.Watching;

/// <summary>
/// One connected mailbox's watch: who watches its INBOX now (a lease, so that with several
/// servers on one database exactly one does), and where it got to (UIDVALIDITY and the last UID
/// looked at), so that a restart or a take-over catches up from there and never imports twice.
/// </summary>
public sealed class AccountWatch
{
    public Guid AccountId { get; set; }

    /// <summary>The server holding the lease (its instance id); null when released.</summary>
    public string? HolderId { get; set; }

    /// <summary>Until when the lease holds unless renewed; another server may take it after.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>The INBOX's UIDVALIDITY the checkpoint belongs to; null before the first look.</summary>
    public long? UidValidity { get; set; }

    /// <summary>Every message up to this UID was looked at (and the replies among them stored).</summary>
    public long LastUid { get; set; }

    /// <summary>When the watcher last heard from the server.</summary>
    public DateTimeOffset? LastSeenAt { get; set; }

    /// <summary>Logins refused in a row (each after one retry): at the threshold the account needs re-authentication.</summary>
    public int ConsecutiveAuthFailures { get; set; }

    /// <summary>Connections that failed in a row (network, TLS, time-out): these never mean re-authentication.</summary>
    public int ConsecutiveConnectFailures { get; set; }
}
