namespace Mailroom.Inbound;

/// <summary>One refusal at RCPT on its way from the session to the refusal log.</summary>
public sealed record RefusedRecipient(
    string Address, string MailFrom, string? RemoteAddress, RefusalReason Reason,
    int ReplyCode, string EnhancedCode, string ReplyText, DateTimeOffset At);
