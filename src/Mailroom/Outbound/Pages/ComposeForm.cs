using System.Globalization;
using Mailroom.Hosting;

namespace Mailroom.Outbound.Pages;

/// <summary>
/// The composer's posted form read into a <see cref="ComposeRequest"/> (the same fields the API
/// takes, but the send time as the member's wall-clock time), and a refusal pointed at the field
/// it is about.
/// </summary>
public static class ComposeForm
{
    /// <summary>The fields an error can sit under; null is the top of the form.</summary>
    public const string From = "from", To = "to", Cc = "cc", Bcc = "bcc", Subject = "subject", Body = "body", Attachments = "attachments", SendAt = "sendAt";

    public const string LocalFormat = "yyyy-MM-dd'T'HH:mm";

    public static ComposeValues Values(IFormCollection form) => new(
        Guid.TryParse(form["accountId"].ToString(), out var id) ? id : null,
        form["to"].ToString(), form["cc"].ToString(), form["bcc"].ToString(), form["subject"].ToString(), BodyHtml(form), form["sendAt"].ToString(),
        Guid.TryParse(form["replyToCommentId"].ToString(), out var reply) ? reply : null);

    /// <summary>
    /// The editor's HTML; from a browser without JavaScript, the plain box's text as HTML: a blank
    /// line starts a paragraph, a single line break stays one.
    /// </summary>
    public static string BodyHtml(IFormCollection form)
    {
        var html = form["bodyHtml"].ToString();
        var text = form["bodyText"].ToString();
        if (html.Length > 0 || string.IsNullOrWhiteSpace(text))
        {
            return html;
        }
        var paragraphs = text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Concat(paragraphs.Select(p => "<p>" + string.Join("<br>", p.Split('\n').Select(System.Net.WebUtility.HtmlEncode)) + "</p>"));
    }

    /// <summary>
    /// The request the outbox checks. <paramref name="later"/>: at the typed time, which must be in
    /// the future (a past one would leave at once, which is not what "later" asked).
    /// </summary>
    public static ComposeRequest Request(IFormCollection form, ComposeValues values, bool later, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (values.AccountId is not { } accountId)
        {
            throw AppProblem.Invalid(OutboxProblems.InvalidAccount, "Pick the email account to send from.");
        }
        DateTimeOffset? sendAt = null;
        if (later)
        {
            sendAt = FromLocal(values.SendAt, zone);
            if (sendAt <= now)
            {
                throw AppProblem.Invalid(OutboxProblems.InvalidSendAt, $"That time has passed ({zone.Id}). Pick a later one, or send now.");
            }
        }
        // A file input left empty still posts one part, with no name and no bytes.
        var files = form.Files.GetFiles("attachments").Where(f => f.Length > 0 || f.FileName.Length > 0)
            .Select(f => new ComposeAttachment(f.FileName, f.ContentType, f.Length, f.OpenReadStream))
            .ToList();
        return new ComposeRequest(accountId, [values.To], [values.Cc], [values.Bcc], values.Subject, values.BodyHtml, files, sendAt, values.ReplyTo);
    }

    /// <summary>A datetime-local value as the instant it names in <paramref name="zone"/>.</summary>
    public static DateTimeOffset FromLocal(string value, TimeZoneInfo zone)
    {
        if (!DateTime.TryParseExact(value, [LocalFormat, "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            throw AppProblem.Invalid(OutboxProblems.InvalidSendAt, "Pick the date and time to send it at.");
        }
        if (zone.IsInvalidTime(local))
        {
            throw AppProblem.Invalid(OutboxProblems.InvalidSendAt, $"{local:d MMM yyyy, HH:mm} does not exist in {zone.Id}: the clocks skip it. Pick another time.");
        }
        // An hour that happens twice (clocks going back) is read as its first passing.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    public static string LocalValue(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString(LocalFormat, CultureInfo.InvariantCulture);

    /// <summary>"Europe/Paris, UTC+01:00 now": the zone the send time is read in.</summary>
    public static string ZoneName(TimeZoneInfo zone, DateTimeOffset now)
    {
        var offset = zone.GetUtcOffset(now);
        return $"{zone.Id} (UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset:hh\\:mm})";
    }

    /// <summary>Which field a refusal is about, by its code; a bad address by the field that holds it.</summary>
    public static string? FieldOf(AppProblem problem, ComposeValues values) => problem.Code switch
    {
        OutboxProblems.InvalidAccount or Accounts.AccountProblems.SendNotAllowed => From,
        OutboxProblems.InvalidRecipient => RecipientField(problem.Message, values),
        OutboxProblems.NoRecipient or OutboxProblems.TooManyRecipients => To,
        OutboxProblems.InvalidSubject => Subject,
        OutboxProblems.BodyTooLong or OutboxProblems.EmptyEmail => Body,
        OutboxProblems.InvalidAttachment or OutboxProblems.TooLarge => Attachments,
        OutboxProblems.InvalidSendAt => SendAt,
        _ => null,
    };

    // The outbox reads To, then Cc, then Bcc, and names the first bad address in quotes.
    private static string RecipientField(string message, ComposeValues values)
    {
        var start = message.IndexOf('"');
        var end = message.LastIndexOf('"');
        var bad = start >= 0 && end > start ? message[(start + 1)..end].TrimEnd('…') : "";
        foreach (var (field, text) in new[] { (To, values.To), (Cc, values.Cc), (Bcc, values.Bcc) })
        {
            if (bad.Length > 0 && text.Contains(bad, StringComparison.Ordinal))
            {
                return field;
            }
        }
        return To;
    }
}
