using System.Text;
using System.Text.RegularExpressions;

namespace Mailroom.Inbound;

/// <summary>
/// Splits the text of a reply into what the sender wrote now and what they quoted or signed
/// with, so a post shows only the new words and the UI can fold the rest ("show quoted text").
/// </summary>
/// <remarks>
/// <para>
/// The approach is the one Discourse's <c>email_reply_trimmer</c> (MIT) takes, extended with
/// GitHub's <c>email_reply_parser</c> rules: every line is given a kind — empty, delimiter,
/// mobile signature, embedded-mail marker ("On … wrote:", "-----Original Message-----"), mail
/// header (From:/Sent:/To:/Subject: in several languages), quote (<c>&gt;</c>) or text — and
/// the string of kinds is cut with a few patterns. Cutting on the shape of the whole mail, not
/// line by line, is what keeps inline replies: quoted lines followed by new text stay, only
/// quotes after the last new text go.
/// </para>
/// <para>
/// Mail is attacker-controlled: regexes run with a timeout, and very long lines are never
/// matched (no client writes a quote header of that length). Callers that must not fail wrap
/// the call; <see cref="MessageReader"/> falls back to the full text.
/// </para>
/// </remarks>
public static partial class ReplyExtractor
{
    private const int MaxClassifiedLineLength = 1000;

    /// <summary>
    /// Longer texts are shown whole: half a megabyte of text is a document or a log, not a reply to
    /// fold, and classifying it line by line would cost seconds of CPU per message.
    /// </summary>
    private const int MaxAnalysedLength = 512 * 1024;
    private const int MaxHeaderContinuationLines = 4;
    private const int MaxQuotedSignatureLines = 4;
    private const int MaxAttributionLength = 300;

    private const char Empty = 'e';
    private const char Delimiter = 'd';
    private const char Signature = 's';
    private const char Embedded = 'b';
    private const char Header = 'h';
    private const char Quote = 'q';
    private const char Text = 't';

    /// <summary>Splits a plain-text body (or HTML already rendered as text, quotes as <c>&gt;</c>).</summary>
    public static ExtractedReply FromText(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxAnalysedLength)
        {
            return new ExtractedReply(TrimBlankLines([.. text.Replace("\r\n", "\n").Split('\n')]), "");
        }

        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        if (lines.All(string.IsNullOrWhiteSpace))
        {
            return new ExtractedReply("", "");
        }

        // Attribution lines wrapped by the sender's client ("On Mon, 1 Feb 2016, Some One <\n
        // some@one.org> wrote:") are joined first, so they are recognised as one marker.
        var joined = JoinWrappedAttributions(lines, cancellationToken);
        var pattern = new StringBuilder(joined.Count);
        foreach (var line in joined)
        {
            if ((pattern.Length & 0xFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            pattern.Append(Classify(line.Text));
        }

        var kept = Trim(pattern.ToString(), joined);
        return Split(lines, joined, kept);
    }

    /// <summary>
    /// Splits an HTML body: the containers mail clients put quoted history and signatures in
    /// (Gmail, Apple Mail, Outlook, Thunderbird, Yahoo) are removed before rendering as text, then
    /// the text rules run on what is left for clients that mark nothing.
    /// </summary>
    public static ExtractedReply FromHtml(string html, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(html);
        var full = HtmlText.ToPlainText(html, cancellationToken);
        var (visibleHtml, removedHtml) = HtmlQuotes.Remove(html, cancellationToken);
        if (removedHtml.Length == 0)
        {
            return FromText(full, cancellationToken);
        }

        var visible = FromText(HtmlText.ToPlainText(visibleHtml, cancellationToken), cancellationToken);
        var removed = HtmlText.ToPlainText(removedHtml, cancellationToken);
        var quoted = string.Join("\n\n", new[] { visible.Quoted, removed }.Where(q => q.Length > 0));
        return new ExtractedReply(visible.Visible, quoted);
    }

    /// <summary>
    /// The trimming itself, on the string of line kinds; returns the indexes (into
    /// <paramref name="lines"/>) of the lines that stay visible.
    /// </summary>
    private static List<int> Trim(string kinds, List<JoinedLine> lines)
    {
        var pattern = new StringBuilder(kinds);
        var kept = Enumerable.Range(0, lines.Count).ToList();

        void Keep(int start, int endExclusive)
        {
            pattern.Remove(endExclusive, pattern.Length - endExclusive).Remove(0, start);
            kept.RemoveRange(endExclusive, kept.Count - endExclusive);
            kept.RemoveRange(0, start);
        }

        void RemoveAll(char kind)
        {
            for (var i = pattern.Length - 1; i >= 0; i--)
            {
                if (pattern[i] == kind)
                {
                    pattern.Remove(i, 1);
                    kept.RemoveAt(i);
                }
            }
        }

        // A delimiter line (-- , ____, ====) starts a signature, a list footer or Outlook's
        // quoted mail: nothing after it is new.
        var delimiter = pattern.ToString().IndexOf(Delimiter);
        if (delimiter >= 0)
        {
            Keep(0, delimiter);
        }

        RemoveAll(Signature);

        // Nothing but attributions and quotes: a mail that says nothing new.
        if (!pattern.ToString().Contains(Text) && pattern.ToString().Contains(Embedded))
        {
            return [];
        }

        // Bottom-posting: the attribution and the quote first, the new text after them.
        if (BottomPosted().IsMatch(pattern.ToString()))
        {
            Keep(pattern.ToString().IndexOf(Text), pattern.Length);
        }

        // An attribution after some text, followed by no quote (a client that does not prefix
        // quoted lines) or by a quote and the quoted mail's own signature: everything from the
        // attribution on is history.
        var withoutQuote = MarkerWithoutQuote().Match(pattern.ToString());
        if (withoutQuote.Success)
        {
            Keep(0, withoutQuote.Index + 1);
        }

        // Text after the quote is the quoted mail's signature when it is short; a longer one is
        // the sender answering below the quote, which stays (with the quote it answers).
        var beforeQuote = MarkerBeforeQuote().Match(pattern.ToString());
        if (beforeQuote.Success && beforeQuote.Groups["tail"].Value.Count(kind => kind == Text) <= MaxQuotedSignatureLines)
        {
            Keep(0, beforeQuote.Index + 1);
        }

        RemoveAll(Embedded);

        // Outlook wraps long header values: From/Sent/To/Subject with text lines between them
        // are one header block.
        var wrapped = WrappedHeaders().Match(pattern.ToString());
        if (wrapped.Success)
        {
            for (var i = wrapped.Index; i < wrapped.Index + wrapped.Length; i++)
            {
                pattern[i] = Header;
            }
        }

        var headers = HeaderBlock().Match(pattern.ToString());
        if (headers.Success)
        {
            Keep(0, headers.Index + 1);
        }

        RemoveAll(Header);

        // Trailing quotes go once there is some new text; an all-quote mail stays as it is.
        var trailing = TrailingQuotes().Match(pattern.ToString());
        if (pattern.ToString().Contains(Text) && trailing.Success)
        {
            Keep(0, trailing.Index);
        }

        DropDashSignOff(pattern, kept, lines);
        return kept;
    }

    /// <summary>
    /// "-Abhishek" on the last line: a dash-and-name sign-off (GitHub's reply parser reads a line
    /// starting with "-" and a word as the start of a signature). Only when it ends the text.
    /// </summary>
    private static void DropDashSignOff(StringBuilder pattern, List<int> kept, List<JoinedLine> lines)
    {
        var last = pattern.Length - 1;
        while (last >= 0 && pattern[last] == Empty)
        {
            last--;
        }

        if (last > 0 && pattern[last] == Text && DashSignOff().IsMatch(lines[kept[last]].Text))
        {
            pattern.Remove(last, pattern.Length - last);
            kept.RemoveRange(last, kept.Count - last);
        }
    }

    private static ExtractedReply Split(string[] original, List<JoinedLine> joined, List<int> kept)
    {
        var visibleOriginal = new HashSet<int>();
        foreach (var index in kept)
        {
            visibleOriginal.Add(joined[index].First);
        }

        // A joined attribution is never kept, so a kept line is always one original line.
        var visible = new List<string>();
        var quoted = new List<string>();
        for (var i = 0; i < original.Length; i++)
        {
            (visibleOriginal.Contains(i) ? visible : quoted).Add(original[i]);
        }

        return new ExtractedReply(TrimBlankLines(visible), TrimBlankLines(quoted));
    }

    private static string TrimBlankLines(List<string> lines)
    {
        var start = 0;
        var end = lines.Count;
        while (start < end && string.IsNullOrWhiteSpace(lines[start]))
        {
            start++;
        }

        while (end > start && string.IsNullOrWhiteSpace(lines[end - 1]))
        {
            end--;
        }

        return string.Join('\n', lines.Skip(start).Take(end - start).Select(line => line.TrimEnd())).Trim('\n');
    }

    /// <summary>One logical line: an original line, or an attribution joined from up to four.</summary>
    private readonly record struct JoinedLine(string Text, int First);

    private static List<JoinedLine> JoinWrappedAttributions(string[] lines, CancellationToken cancellationToken)
    {
        var joined = new List<JoinedLine>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            if ((i & 0xFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var (text, last) = WrappedAttribution(lines, i);
            joined.Add(new JoinedLine(text, i));
            i = last;
        }

        return joined;
    }

    /// <summary>
    /// The attribution starting at line <paramref name="start"/> when the sender's client wrapped
    /// it over several lines (blank lines and <c>&gt;</c> prefixes between the pieces are
    /// dropped), else the line itself; with the index of the last line it spans.
    /// </summary>
    private static (string Text, int Last) WrappedAttribution(string[] lines, int start)
    {
        var line = lines[start];
        if (line.Length > MaxClassifiedLineLength || string.IsNullOrWhiteSpace(line) || QuoteLine().IsMatch(line))
        {
            return (line, start);
        }

        if (IsEmbeddedMarker(line))
        {
            return WithTail(lines, line, start);
        }

        // Only a line that starts like an attribution, or names someone by address, is worth
        // joining with the next ones (and plain text is then classified once, not four times).
        var opens = AttributionOpener().IsMatch(line);
        if (SentenceEnd().IsMatch(line) || (!opens && line.IndexOfAny(['@', '<']) < 0))
        {
            return (line, start);
        }

        var candidate = line;
        var continuation = "";
        var pieces = 0;
        for (var k = start + 1; k < lines.Length && pieces < MaxHeaderContinuationLines; k++)
        {
            var piece = ContinuationPrefix().Replace(lines[k], "");
            if (piece.Length == 0)
            {
                continue;
            }

            if (AttributionWord().IsMatch(piece))
            {
                // Another attribution starts here: do not swallow the text before it.
                break;
            }

            pieces++;
            candidate += " " + piece;
            continuation = continuation.Length == 0 ? piece : continuation + " " + piece;
            if (!MayEndMarker(piece))
            {
                if (SentenceEnd().IsMatch(piece) || candidate.Length > MaxClassifiedLineLength)
                {
                    break;
                }

                continue;
            }

            if (candidate.Length > MaxClassifiedLineLength || (!opens && IsEmbeddedMarker(continuation)))
            {
                // Too long, or the following lines hold a whole marker of their own and this
                // line does not start like one: it is text before the marker.
                break;
            }

            if (IsEmbeddedMarker(candidate))
            {
                return WithTail(lines, candidate, k);
            }

            if (SentenceEnd().IsMatch(piece))
            {
                break;
            }
        }

        return (line, start);
    }

    private static readonly string[] MarkerEndings =
    [
        ":", "：", ">", "wrote", "writes", "said", "says", "schrieb", "geschrieben", "schreef", "écrit", "a dit",
        "escribió", "scritto", "escreveu", "napisał", "написал", "пише", "skrev", "写道", "寫道",
    ];

    /// <summary>Cheap test before the regexes: every wrapped marker ends in a colon, an address or a "wrote".</summary>
    private static bool MayEndMarker(string piece) =>
        MarkerEndings.Any(ending => piece.Contains(ending, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A marker that already matched may still have a tail on the next line: "… &lt;a@b.org&gt;"
    /// then "wrote:", "um 12:52 Uhr:" or "volgende geschreven:". A short line ending in a colon
    /// right after a marker belongs to it.
    /// </summary>
    private static (string Text, int Last) WithTail(string[] lines, string marker, int last)
    {
        var next = last + 1;
        return next < lines.Length && lines[next].Length <= MaxClassifiedLineLength && AttributionTail().IsMatch(lines[next])
            ? (marker + " " + ContinuationPrefix().Replace(lines[next], "").Trim(), next)
            : (marker, last);
    }

    private static char Classify(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return Empty;
        }

        if (line.Length > MaxClassifiedLineLength)
        {
            return QuoteLine().IsMatch(line) ? Quote : Text;
        }

        if (DelimiterLine().IsMatch(line) || ReplyAboveThisLine().IsMatch(line))
        {
            return Delimiter;
        }

        if (IsMobileSignature(line))
        {
            return Signature;
        }

        if (IsEmbeddedMarker(line))
        {
            return Embedded;
        }

        if (IsHeaderLine(line))
        {
            return Header;
        }

        return QuoteLine().IsMatch(line) ? Quote : Text;
    }

    internal static bool IsMobileSignature(string line)
    {
        var stripped = MarkdownLink().Replace(line, "$1");
        return SentFrom().IsMatch(stripped) || MobileSignatures().IsMatch(stripped);
    }

    internal static bool IsEmbeddedMarker(string line) =>
        EmbeddedMarkers.Any(marker => marker.IsMatch(line))
        || (line.Length <= MaxAttributionLength && line.AsSpan().IndexOfAny("0123456789@") >= 0 && SomeoneWroteWithDate().IsMatch(line));

    internal static bool IsHeaderLine(string line) => HeaderWithDate().IsMatch(line) || HeaderWithText().IsMatch(line);

    private static readonly Regex[] EmbeddedMarkers =
    [
        OnDateSomeoneWrote(), OnDateSomeoneSaid(), LocalizedOnDateSomeoneWrote(), OnDateWroteSomeone(),
        DateSomeoneWrote(), DateSomeoneEmail(), SomeoneWroteOnDate(), IsoDateSomeone(), SomeoneViaSomethingWrote(),
        SomeoneEmailWrote(), PostedBy(), ForwardedOrOriginal(),
    ];

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
    private const int Timeout = 250;

    // ---- Line kinds ----

    // "## Please type your reply above this line ##": forums and help desks put it on top of
    // their notifications; everything below it is theirs.
    [GeneratedRegex(
        @"^[\p{Zs}\t#*>\-]*.{0,60}(?:above this line|above the line|oberhalb dieser Zeile|au-dessus de cette ligne|encima de esta línea|por encima de esta línea|sopra questa riga|sopra questa linea|boven deze regel|boven deze lijn|powyżej tej linii|acima desta linha|ovanför denna rad|выше этой строки|在此行上方)",
        Options, Timeout)]
    private static partial Regex ReplyAboveThisLine();

    [GeneratedRegex(@"^[\p{Zs}\t]*[-_,=+~#*ᐧ—]+[\p{Zs}\t]*$", Options, Timeout)]
    private static partial Regex DelimiterLine();

    // "> quoted", and Supercite's "Richard> quoted" / "C> quoted".
    [GeneratedRegex(@"^[\p{Zs}\t]*(?:\p{L}{1,10})?>", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex QuoteLine();

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]+\)", Options, Timeout)]
    private static partial Regex MarkdownLink();

    // "Sent from my iPhone", "Sent from Yahoo Mail on Android", "(Sent from mobile device)",
    // "Sent from my cell, please excuse any typos." — but not "Sent from my desk, is much easier
    // than my phone.": after the device only an apology (or a link) may follow.
    [GeneratedRegex(
        @"^[\p{Zs}\t]*[(<]*sent (?:from|via|with|by) [^,.;!()<>]{1,60}?[\p{Zs}\t]*(?:<[^>]*>|https?://\S+)?[\p{Zs}\t]*(?:[.,;!\-–][\p{Zs}\t]*(?:please[\p{Zs}\t]+)?(?:excuse|pardon|sorry|apologi[sz]e|forgive|typos|brevity)[^\n]*)?[)>]*[\p{Zs}\t.]*$",
        Options, Timeout)]
    private static partial Regex SentFrom();

    [GeneratedRegex(
        @"^[\p{Zs}\t]*(?:從我的 iPhone 傳送|發自我的 iPhone|发自我的 ?iPhone|iPhoneから送信|\w+ from mobile[\p{Zs}\t]*$|From my [\w\p{Zs}\t]{1,20}$|Get Outlook for |Envoyé depuis (?:mon|Yahoo Mail)|Envoyé de mon |Von meinem .+ gesendet|Diese Nachricht wurde von .+ gesendet|Inviato da |Sendt fra min |Enviado do meu |Enviado desde mi |Enviado de meu |Verzonden met |Verstuurd vanaf mijn |Skickat från min |från min |Wysłane z mojego |Отправлено с моего )",
        Options, Timeout)]
    private static partial Regex MobileSignatures();

    // ---- Embedded-mail markers (attribution lines, forwarded/original message banners) ----

    [GeneratedRegex(@"^[\p{Zs}\t>]*[^\s>:][^:]{0,40}[:：][\p{Zs}\t]*$", Options, Timeout)]
    private static partial Regex AttributionTail();

    // Where a wrapped attribution may start: "On …", "Le …", "Am …", or a date ("2016-03-03 …",
    // "20 окт. 2016 …").
    [GeneratedRegex(@"^[\p{Zs}\t<>-]*(?:(?:On|At|Le|Am|Op|El|Il|Em|Dnia|Dňa|Den|In message|在)\s|\d)", Options, Timeout)]
    private static partial Regex AttributionOpener();

    [GeneratedRegex(@"^[\p{Zs}\t<>-]*(?:On|At|Le|Am|Op|El|Il|Em|Dnia|Dňa|Den|In message|在)\s", Options, Timeout)]
    private static partial Regex AttributionWord();

    [GeneratedRegex(@"[.!?。！？][\p{Zs}\t""')]*$", Options, Timeout)]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"^[\s>\-]*", Options, Timeout)]
    private static partial Regex ContinuationPrefix();

    [GeneratedRegex(@"^[\p{Zs}\t<>-]*(?:On|At|In message)\s.+?\b(?:wrote|writes)[\p{Zs}\t.:>-]*$", Options, Timeout)]
    private static partial Regex OnDateSomeoneWrote();

    // "says"/"said" end ordinary sentences too; an attribution has a date in it.
    [GeneratedRegex(@"^[\p{Zs}\t<>-]*(?:On|At)\s(?=.*\d).+?\b(?:says|said)[\p{Zs}\t.:>-]*$", Options, Timeout)]
    private static partial Regex OnDateSomeoneSaid();

    [GeneratedRegex(
        @"^[\p{Zs}\t<>-]*(?:在.+?写道|Op\s.+?(?:het\svolgende\sgeschreven|schreef[^:]*)|Le\s.+?(?:nous\sa\sdit|a\s+écrit)|Am\s.+?(?:schrieben\sSie|geschrieben|schrieb[^:]*)|Il\s.+?ha\sscritto|(?:Dnia|Dňa)\s.+?napisał(?:\(a\))?|Em\s.+?escreveu|El\s.+?escribió)[\p{Zs}\t.:：>-]*$",
        Options, Timeout)]
    private static partial Regex LocalizedOnDateSomeoneWrote();

    [GeneratedRegex(@"^[\p{Zs}\t>]*(?:Op|Am|Den|søn\.)\s.+\s(?:schreef|schrieb|skrev)\s[^:]+:", Options, Timeout)]
    private static partial Regex OnDateWroteSomeone();

    [GeneratedRegex(@"\d{4}.{1,80}(?:пользователь.{0,80}?написал|napisał\(a\)|пише)\s*:", Options, Timeout)]
    private static partial Regex DateSomeoneWrote();

    [GeneratedRegex(@"\d{4}.{1,80}\s?<[^@<>]{1,100}@[^@<>.]{1,100}\.[^@<>]{1,100}>[:：]?\s*$", Options, Timeout)]
    private static partial Regex DateSomeoneEmail();

    [GeneratedRegex(@"^.+\b(?:wrote\b\s+\bon|schrieb\b\s+\bam)\b.+[^:]+:", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex SomeoneWroteOnDate();

    [GeneratedRegex(@"^[\p{Zs}\t>]*20\d\d-\d\d-\d\d \d\d:\d\d GMT\+\d\d:\d\d [\w\p{Zs}\t]+$", Options, Timeout)]
    private static partial Regex IsoDateSomeone();

    [GeneratedRegex(@"^.+ via .+ (?:wrote|schrieb):?[\p{Zs}\t]*$", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex SomeoneViaSomethingWrote();

    [GeneratedRegex(@"^.+\b[\w.+-]+@[\w.-]+\.\w{2,}\b.+wrote:?\s*$", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex SomeoneEmailWrote();

    // Any attribution ending in "wrote:" in one of many languages, as long as it carries a date
    // or an address (so "He wrote:" in a sentence is not one; checked in IsEmbeddedMarker).
    // Matched from the end: the ending is what is rare.
    [GeneratedRegex(
        @"(?:\bwrote|\ba écrit|\bschrieb|\bschreef|\bescribió|\bha scritto|\bescreveu|\bnapisał(?:\(a\)|a)?|\bнаписал(?:\(а\)|а)?|\bskrev|\bkirjoitti|\byazdı|写道|寫道|のメッセージ)[\p{Zs}\t]*[:：][\p{Zs}\t]*$",
        Options | RegexOptions.RightToLeft, Timeout)]
    private static partial Regex SomeoneWroteWithDate();

    [GeneratedRegex(@"^[\p{Zs}\t>]*Posted by .+ on \d{2}/\d{2}/\d{4}$", Options, Timeout)]
    private static partial Regex PostedBy();

    [GeneratedRegex(
        @"^[\p{Zs}\t>*]*(?:Begin forwarded message:|Début du message transféré :|Anfang der weitergeleiteten Nachricht:|-{2,}[\p{Zs}\t]*(?:Forwarded|Original|Reply) Message[\p{Zs}\t]*-{2,}|-{2,}[\p{Zs}\t]*(?:Message transféré|Message d'origine|Ursprüngliche Nachricht|Weitergeleitete Nachricht|Mensaje original|Mensaje reenviado|Messaggio originale|Messaggio inoltrato|Mensagem original|Oorspronkelijk bericht|Doorgestuurd bericht|Originalmeddelande|Alkuperäinen viesti|Oryginalna wiadomość|Исходное сообщение|Пересылаемое сообщение|原始邮件|原始郵件|転送されたメッセージ)[\p{Zs}\t]*-{2,})",
        Options, Timeout)]
    private static partial Regex ForwardedOrOriginal();

    // ---- Mail headers of a quoted mail (Outlook and web mail) ----

    [GeneratedRegex(
        @"^[\p{Zs}\t*]*(?:Sendt|Sent|Date|Le|Gesendet|Enviada em|Enviado|Envoyé|Fecha|Data|Datum|Skickat|Verzonden|Inviato|Wysłano|Отправлено|Дата|发送时间|日期|送信日時)[\p{Zs}\t*]*[:：].*\d+",
        Options, Timeout)]
    private static partial Regex HeaderWithDate();

    [GeneratedRegex(
        @"^[\p{Zs}\t*]*(?:From|To|Cc|Reply-To|Subject|Fra|Til|Emne|De|Expéditeur|À|A|Cc|Destinataire|Répondre à|Objet|Von|An|Betreff|Para|Assunto|Asunto|Da|Risposta|Oggetto|Van|Beantwoorden - Aan|Aan|Onderwerp|Från|Till|Ämne|Od|Do|Temat|От|Кому|Тема|发件人|收件人|主题|寄件者|收件者|主旨|差出人|宛先|件名)[\p{Zs}\t*]*[:：].*\w+",
        Options, Timeout)]
    private static partial Regex HeaderWithText();

    // ---- Patterns over the string of line kinds ----

    [GeneratedRegex("^b+q+[eq]*t[te]*$", RegexOptions.None, Timeout)]
    private static partial Regex BottomPosted();

    [GeneratedRegex("te*b[^q]*$", RegexOptions.None, Timeout)]
    private static partial Regex MarkerWithoutQuote();

    [GeneratedRegex("te*b[eqbh]*(?<tail>[te]*)$", RegexOptions.None, Timeout)]
    private static partial Regex MarkerBeforeQuote();

    [GeneratedRegex("h+[hte]+h+e", RegexOptions.None, Timeout)]
    private static partial Regex WrappedHeaders();

    [GeneratedRegex("t[eq]*h{3,}", RegexOptions.None, Timeout)]
    private static partial Regex HeaderBlock();

    [GeneratedRegex("[eq]+$", RegexOptions.None, Timeout)]
    private static partial Regex TrailingQuotes();

    [GeneratedRegex(@"^[\p{Zs}\t]*-[\p{Lu}][\p{L}.'\-]*(?:[\p{Zs}\t]+[\p{L}.'\-]+){0,3}[\p{Zs}\t]*$", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex DashSignOff();
}
