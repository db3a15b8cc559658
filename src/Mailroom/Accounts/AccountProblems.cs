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
