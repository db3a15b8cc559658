namespace Mailroom.Accounts;

/// <summary>The steps of "Test connection", in the order they run; the first that fails is the one reported.</summary>
public enum ConnectionStep
{
    ConnectImap = 0,
    LoginImap = 1,
    ConnectSmtp = 2,
    LoginSmtp = 3,
}

public static class ConnectionStepExtensions
{
    /// <summary>The words the API and the UI name the step with.</summary>
    public static string Describe(this ConnectionStep step) => step switch
    {
        ConnectionStep.ConnectImap => "connect to IMAP",
        ConnectionStep.LoginImap => "log in to IMAP",
        ConnectionStep.ConnectSmtp => "connect to SMTP",
        ConnectionStep.LoginSmtp => "log in to SMTP",
        _ => step.ToString(),
    };
}
