namespace Mailroom.Inbound;

/// <summary>The stable code and the admin's explanation of each <see cref="RefusalReason"/>.</summary>
public static class RefusalReasons
{
    public static string Code(this RefusalReason reason) => reason switch
    {
        RefusalReason.UnknownAddress => "unknown_address",
        RefusalReason.OtherDomain => "other_domain",
        RefusalReason.AddressRemoved => "address_removed",
        RefusalReason.EmailAppOff => "email_app_off",
        RefusalReason.GuestSender => "guest_sender",
        _ => "other",
    };

    /// <summary>What an admin can do about it, in a sentence: the reply text says what the sender was told.</summary>
    public static string Explanation(this RefusalReason reason) => reason switch
    {
        RefusalReason.UnknownAddress => "No integration, list or task has this address (a typo, or an address that was reset).",
        RefusalReason.OtherDomain => "The address is not in this server's mail domain; the server relays nothing.",
        RefusalReason.AddressRemoved => "This integration's address was removed.",
        RefusalReason.EmailAppOff => "The Email app is off for this list's or task's space; turn it on in the app center.",
        RefusalReason.GuestSender => "The sender is a guest, and guests cannot use the Email app.",
        _ => "Refused; the reply says why.",
    };
}
