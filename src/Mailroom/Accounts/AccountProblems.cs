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

    /// <summary>The Microsoft organisation refused Mailroom access to the mailbox (OAuth consent or policy).</summary>
    public const string MicrosoftRefused = "NAUTH_013";

    public const string NauthRemedy = "Your Microsoft organisation refused Mailroom access to this mailbox. Some reasons: incorrect user permissions; incorrect global permissions (third-party apps may be blocked); invalid ActiveSync settings; invalid MDM settings. Ask your Microsoft 365 administrator.";

    /// <summary>Something automatic (a scheduled email, an automation) tried to send from an account that is not active or needs re-authentication.</summary>
    public const string AccountInactive = "CONT_002";

    public const string ContRemedy = "Re-authorise the email account connected to your workspace, or set the email to Active, then try again.";

    public const string NemailRemedy = "There may be an authorization problem with your email account. Remove and reconnect the account, then try again.";

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
