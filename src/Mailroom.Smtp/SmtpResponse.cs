namespace Mailroom.Smtp;

/// <summary>
/// One SMTP reply: a three-digit code (RFC 5321 §4.2), an enhanced status code
/// (RFC 3463, advertised through ENHANCEDSTATUSCODES, RFC 2034) and human text.
/// </summary>
public sealed record SmtpResponse(int Code, string EnhancedCode, string Text)
{
    public bool IsPositive => Code is >= 200 and < 400;

    public static SmtpResponse Ok(string text = "OK") => new(250, "2.0.0", text);
    public static SmtpResponse RecipientOk { get; } = new(250, "2.1.5", "Recipient OK");
    public static SmtpResponse NoSuchUser { get; } = new(550, "5.1.1", "No such recipient here");
    public static SmtpResponse TransientFailure { get; } = new(451, "4.3.0", "Temporary failure, please try again later");
}
