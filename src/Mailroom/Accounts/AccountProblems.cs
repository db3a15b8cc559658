using Mailroom.Hosting;

namespace Mailroom.Accounts;

/// <summary>
/// The stable codes of a failed connection test and the words a member can act on. NEMAIL_002
/// and its remedy are the reference product's (first seed, "common error codes"), so a member
/// who knows one knows the other.
/// </summary>
public static class AccountProblems
{
    /// <summary>The credentials were refused at a login step.</summary>
    public const string AuthenticationRefused = "NEMAIL_002";

    /// <summary>The server could not be reached or did not speak its protocol at a connect step.</summary>
    public const string Unreachable = "account_unreachable";

    /// <summary>The host resolves to an address the server may not be made to reach.</summary>
    public const string HostNotAllowed = "account_host_not_allowed";

    /// <summary>The member may not send from this address (B6): only its linker, or a member they granted, may.</summary>
    public const string SendNotAllowed = "ACCESS_137";

    public const string AccessRemedy = "You do not have permission to send from this email address. The member who linked it must update the account's permissions.";

    /// <summary>The member's role lacks the "Add email accounts" permission (B18): nothing was linked.</summary>
    public const string AddNotAllowed = "account_add_not_allowed";

    /// <summary>The Microsoft organisation refused Mailroom access to the mailbox (OAuth consent or policy).</summary>
    public const string MicrosoftRefused = "NAUTH_013";

    public const string NauthRemedy = "Your Microsoft organisation refused Mailroom access to this mailbox. Some reasons: incorrect user permissions; incorrect global permissions (third-party apps may be blocked); invalid ActiveSync settings; invalid MDM settings. Ask your Microsoft 365 administrator.";

    /// <summary>Something automatic (a scheduled email, an automation) tried to send from an account that is not active or needs re-authentication.</summary>
    public const string AccountInactive = "CONT_002";

    public const string ContRemedy = "Re-authorise the email account connected to your workspace, or set the email to Active, then try again.";

    public const string NemailRemedy = "There may be an authorization problem with your email account. Remove and reconnect the account, then try again.";

    /// <summary>The member said no at the provider's consent screen.</summary>
    public const string OAuthDenied = "oauth_denied";

    /// <summary>The callback's state was unknown, expired, already used, or another member's.</summary>
    public const string OAuthStateInvalid = "oauth_state_invalid";

    /// <summary>The provider refused the code or answered nothing usable.</summary>
    public const string OAuthFailed = "oauth_failed";

    /// <summary>The provider did not say which address the mailbox has.</summary>
    public const string OAuthNoEmail = "oauth_no_email";

    /// <summary>Re-authentication signed in as another mailbox than the account's.</summary>
    public const string OAuthOtherMailbox = "oauth_other_mailbox";

    /// <summary>
    /// The words a member can act on for a stable code, for the API's account view and the pages;
    /// null for a code without a remedy of its own.
    /// </summary>
    public static string? Remedy(string? code) => code switch
    {
        AuthenticationRefused => NemailRemedy,
        MicrosoftRefused => NauthRemedy,
        AccountInactive => ContRemedy,
        SendNotAllowed => AccessRemedy,
        OAuthDenied => "You did not allow Mailroom access to the mailbox, so nothing was linked. Start again and allow access to link it.",
        OAuthStateInvalid => "This sign-in took too long or was already used, so nothing was linked. Start again from the Email accounts page.",
        OAuthFailed => "The provider did not complete the sign-in, so nothing was linked. Try again in a few minutes.",
        OAuthNoEmail => "The provider did not say which email address the account has, so nothing was linked. Ask your administrator to check the OAuth settings.",
        OAuthOtherMailbox => "You signed in as a different mailbox than the one to re-authenticate. Sign in with that mailbox's address.",
        AddNotAllowed => "Your role does not have the \"Add email accounts\" permission, so nothing was linked. The workspace's owner or an admin can change it in Settings → Security & Permissions.",
        "account_already_linked" => "You already linked this address with a password. Remove it first to link it with your provider's sign-in.",
        _ => null,
    };

    /// <summary>What a Microsoft AADSTS number says, in the member's words (the common ones behind NAUTH_013).</summary>
    public static string? Aadsts(int? number) => number switch
    {
        65001 => "Consent for Mailroom is missing: the member or an administrator has not allowed it.",
        65004 => "The member declined consent for Mailroom.",
        90094 or 90095 => "An administrator must consent to Mailroom for the organisation.",
        53003 => "Conditional Access policies of the organisation blocked the sign-in.",
        50105 => "The account is not assigned to Mailroom in the organisation.",
        50020 => "The account is not allowed in this organisation.",
        null => null,
        _ => $"Microsoft's code: AADSTS{number}.",
    };

    public static string Code(ConnectionFailure failure) => failure switch
    {
        ConnectionFailure.AuthenticationRefused => AuthenticationRefused,
        ConnectionFailure.HostNotAllowed => HostNotAllowed,
        _ => Unreachable,
    };

    public static int Status(ConnectionFailure failure) => failure == ConnectionFailure.HostNotAllowed
        ? StatusCodes.Status400BadRequest
        : StatusCodes.Status422UnprocessableEntity;

    /// <summary>"Could not log in to IMAP: mail.example.com refused the username or password. There may be…"</summary>
    public static string Detail(ConnectionTestResult result)
    {
        var failure = result.Failure!.Value;
        var sentence = $"Could not {result.FailedStep!.Value.Describe()}: {result.Detail}";
        return failure == ConnectionFailure.AuthenticationRefused ? $"{sentence} {NemailRemedy}" : sentence;
    }
}
