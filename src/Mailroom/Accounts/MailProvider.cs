namespace Mailroom.Accounts;

/// <summary>Where a connected mailbox lives; every value but <see cref="Custom"/> has its preset in <see cref="ProviderCatalog"/>.</summary>
public enum MailProvider
{
    Gmail = 0,
    Outlook = 1,
    Yahoo = 2,
    ICloud = 3,
    Fastmail = 4,
    Custom = 5,
}
