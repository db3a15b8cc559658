using System.Text.RegularExpressions;
using MimeKit;

namespace Mailroom.Inbound;

/// <summary>
/// Mailroom's rules for mail that must not become a post (PRODUCT.md section C: auto-replies,
/// bounces and mail loops kept out of feeds). Each method returns the operator-facing reason,
/// or null when the sign is absent. Bounces are checked before auto-replies because many
/// bounces also carry <c>Auto-Submitted</c>, and "this address bounced" is the more useful log line.
/// </summary>
/// <remarks>
/// Deliberately not signs: <c>Precedence: bulk/list/junk</c>, <c>List-Id</c> and
/// <c>List-Unsubscribe</c> (feeding a group from a newsletter is feature A8), and
/// <c>X-Auto-Response-Suppress</c> (Outlook puts it on ordinary person-to-person mail; it asks
/// <em>others</em> not to auto-reply, it says nothing about this message).
/// </remarks>
internal static partial class MessageClassifier
{
    private static readonly string[] DaemonLocalParts = ["mailer-daemon", "mail-daemon", "postmaster"];

    /// <summary>Why this is a delivery report or read receipt (RFC 3464, RFC 8098), or null.</summary>
    public static string? BounceReason(MimeMessage message, MailboxAddress? sender)
    {
        // Only the message's own tree: a bounce forwarded as an attached .eml is a message.
        foreach (var entity in OwnEntities(message.Body))
        {
            switch (entity)
            {
                case MultipartReport report when IsReportType(report, "delivery-status", "global-delivery-status"):
                    return DsnReason(OwnEntities(report).OfType<MessageDeliveryStatus>().FirstOrDefault());
                case MultipartReport report when IsReportType(report, "disposition-notification", "global-disposition-notification"):
                    return MdnReason(OwnEntities(report).OfType<MessageDispositionNotification>().FirstOrDefault());
                case MessageDeliveryStatus status:
                    return DsnReason(status);
                case MessageDispositionNotification notification:
                    return MdnReason(notification);
            }
        }

        // Exim and qmail name the failed addresses in a header even when the body is free text.
        var failed = message.Headers["X-Failed-Recipients"];
        if (!string.IsNullOrWhiteSpace(failed))
        {
            return $"bounce: the mail system reports failed recipients ({Clean(failed)})";
        }

        var subject = (message.Subject ?? "").Trim();
        var localPart = LocalPart(sender?.Address);
        var fromDaemon = localPart is not null && DaemonLocalParts.Contains(localPart, StringComparer.OrdinalIgnoreCase);
        var nullSender = message.Headers[HeaderId.ReturnPath]?.Trim() == "<>";
        if ((fromDaemon || nullSender) && BounceSubject().IsMatch(subject))
        {
            return $"delivery failure notice from {sender?.Address ?? "the null sender"}: \"{Clean(subject)}\"";
        }

        // Nobody writes to a group as MAILER-DAEMON; whatever it sends is about delivery.
        if (localPart is not null && localPart.Equals("mailer-daemon", StringComparison.OrdinalIgnoreCase))
        {
            return $"message from the mail system ({sender!.Address}): \"{Clean(subject)}\"";
        }

        return null;
    }

    /// <summary>Why this is an automatic reply (RFC 3834 and the de-facto headers), or null.</summary>
    public static string? AutoReplyReason(MimeMessage message)
    {
        var autoSubmitted = message.Headers["Auto-Submitted"];
        if (autoSubmitted is not null)
        {
            // RFC 3834 §5: the keyword may carry parameters and comments; only "no" means a person.
            var keyword = autoSubmitted.Split(';', '(')[0].Trim();
            if (keyword.Length > 0 && !keyword.Equals("no", StringComparison.OrdinalIgnoreCase))
            {
                return $"automatic reply (Auto-Submitted: {Clean(keyword)})";
            }
        }

        foreach (var name in (string[])["X-Autoreply", "X-Autorespond", "X-Autoresponder"])
        {
            var value = message.Headers[name]?.Trim();
            if (value is not null && !value.Equals("no", StringComparison.OrdinalIgnoreCase)
                && !value.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                return $"automatic reply ({name} header)";
            }
        }

        var precedence = message.Headers[HeaderId.Precedence]?.Trim();
        if (precedence is not null && precedence.Equals("auto_reply", StringComparison.OrdinalIgnoreCase))
        {
            return "automatic reply (Precedence: auto_reply)";
        }

        var subject = (message.Subject ?? "").Trim();
        if (OutOfOfficeSubject().IsMatch(subject))
        {
            return $"automatic reply (out-of-office subject \"{Clean(subject)}\")";
        }

        return null;
    }

    /// <summary>The list or newsletter sign, for the log only: such mail is still posted (A8).</summary>
    public static string? ListSign(MimeMessage message)
    {
        var precedence = message.Headers[HeaderId.Precedence]?.Trim();
        if (precedence is not null
            && (precedence.Equals("bulk", StringComparison.OrdinalIgnoreCase) || precedence.Equals("list", StringComparison.OrdinalIgnoreCase)))
        {
            return $"Precedence: {precedence.ToLowerInvariant()}";
        }

        if (message.Headers.Contains(HeaderId.ListId))
        {
            return "List-Id";
        }

        return message.Headers.Contains(HeaderId.ListUnsubscribe) ? "List-Unsubscribe" : null;
    }

    /// <summary>Every entity of this message, not descending into attached messages.</summary>
    internal static IEnumerable<MimeEntity> OwnEntities(MimeEntity? root)
    {
        if (root is null)
        {
            yield break;
        }

        var stack = new Stack<MimeEntity>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var entity = stack.Pop();
            yield return entity;
            if (entity is Multipart multipart)
            {
                for (var i = multipart.Count - 1; i >= 0; i--)
                {
                    stack.Push(multipart[i]);
                }
            }
        }
    }

    private static bool IsReportType(MultipartReport report, params string[] types)
    {
        var type = report.ReportType ?? report.ContentType.Parameters["report-type"];
        return type is not null && types.Contains(type.Trim(), StringComparer.OrdinalIgnoreCase);
    }

    private static string DsnReason(MessageDeliveryStatus? status)
    {
        var recipients = new List<string>();
        if (status is not null)
        {
            // The first group is per-message (Reporting-MTA…); recipient groups name a recipient.
            foreach (var group in status.StatusGroups)
            {
                var recipient = group["Final-Recipient"] ?? group["Original-Recipient"];
                if (recipient is null)
                {
                    continue;
                }

                var address = recipient[(recipient.IndexOf(';') + 1)..].Trim();
                var outcome = group["Status"]?.Trim() ?? group["Action"]?.Trim();
                recipients.Add(outcome is null ? address : $"{address}: {outcome}");
            }
        }

        return recipients.Count == 0
            ? "delivery status notification (DSN)"
            : $"delivery status notification (DSN) for {Clean(string.Join(", ", recipients.Distinct()))}";
    }

    private static string MdnReason(MessageDispositionNotification? notification)
    {
        var disposition = notification?.Fields["Disposition"]?.Trim();
        return disposition is null
            ? "read receipt (message disposition notification)"
            : $"read receipt (message disposition notification: {Clean(disposition)})";
    }

    private static string? LocalPart(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return null;
        }

        var at = address.LastIndexOf('@');
        return at < 0 ? address : address[..at];
    }

    /// <summary>Header text inside a reason: one line, bounded, so a hostile header cannot flood the log.</summary>
    private static string Clean(string value)
    {
        var oneLine = WhiteSpace().Replace(value, " ").Trim();
        return oneLine.Length <= 200 ? oneLine : oneLine[..200] + "…";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(
        @"^(undelivered mail|undeliver(able|ed)\b|delivery status notification|mail delivery (failed|failure|system)|delivery failure|failure notice|returned mail|non[- ]?delivery|delivery has failed|message not delivered|warning: could not send)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BounceSubject();

    // Subject prefixes the common auto-responders use, each followed by a colon or nothing:
    // a person writing "Out of office next week?" to a group is not an auto-responder.
    [GeneratedRegex(
        @"^(auto|auto(matic)?[ -]?(reply|response)|out of (the )?office( auto[ -]?reply| reply)?|abwesenheitsnotiz|automatische antwort|r[ée]ponse automatique|risposta automatica|respuesta autom[áa]tica|resposta autom[áa]tica|automatisch antwoord|autosvar|automaattinen vastaus|odpowied[źz] automatyczna)\s*(:|$)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OutOfOfficeSubject();
}
