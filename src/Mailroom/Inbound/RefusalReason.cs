namespace Mailroom.Inbound;

/// <summary>Why a recipient was refused at RCPT; the API shows each as a stable snake_case code.</summary>
public enum RefusalReason
{
    /// <summary>In the mail domain, but no integration, list or task has this address.</summary>
    UnknownAddress = 0,
    /// <summary>Not in this server's mail domain: the server relays nothing.</summary>
    OtherDomain = 1,
    /// <summary>An integration's address that was removed.</summary>
    AddressRemoved = 2,
    /// <summary>A list's or task's address while the Email app is off for its space.</summary>
    EmailAppOff = 3,
    /// <summary>A list's or task's address, and the envelope sender is a guest.</summary>
    GuestSender = 4,
    /// <summary>A refusal the log does not know by name (the reply says why).</summary>
    Other = 5,
}
