namespace Mailroom.Accounts;

/// <summary>
/// Kept apart on purpose (issue 11, item 10): a network blip makes an account
/// <see cref="CannotConnect"/>, never <see cref="NeedsReauthentication"/>, which only repeated
/// authentication failures may set.
/// </summary>
public enum AccountHealth
{
    Active = 0,
    CannotConnect = 1,
    NeedsReauthentication = 2,
}
