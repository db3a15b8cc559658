namespace Mailroom.Smtp.Protocol;

/// <summary>
/// Parses the argument of MAIL and RCPT: <c>FROM:&lt;path&gt; [params]</c> (RFC 5321 §4.1.1.2,
/// §4.1.2). Lenient where clients commonly stray (a space after the colon, a missing pair of
/// brackets is not accepted though: it is how the address boundary is known).
/// </summary>
internal static class SmtpPathParser
{
    /// <summary>
    /// Splits <paramref name="arguments"/> into the address (brackets and any source route
    /// removed, RFC 5321 §4.1.2 says to ignore it) and the parameter string.
    /// </summary>
    public static bool TryParse(string arguments, string keyword, out string address, out string parameters)
    {
        address = string.Empty;
        parameters = string.Empty;

        if (!arguments.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = arguments.AsSpan(keyword.Length).TrimStart(' ');
        if (rest.IsEmpty || rest[0] != '<')
        {
            return false;
        }

        // Find the closing bracket outside a quoted local part: <"a>b"@example.com> is valid.
        var inQuotes = false;
        var end = -1;
        for (var i = 1; i < rest.Length; i++)
        {
            var c = rest[i];
            if (c == '\\' && inQuotes)
            {
                i++;
            }
            else if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (c == '>' && !inQuotes)
            {
                end = i;
                break;
            }
        }

        if (end < 0)
        {
            return false;
        }

        var path = rest[1..end];
        if (path.Length > 0 && path[0] == '@')
        {
            var colon = path.IndexOf(':');
            if (colon < 0)
            {
                return false;
            }

            path = path[(colon + 1)..];
        }

        var after = rest[(end + 1)..];
        if (!after.IsEmpty && after[0] != ' ')
        {
            return false;
        }

        address = path.ToString();
        parameters = after.Trim(' ').ToString();
        return true;
    }

    /// <summary>
    /// A mailbox is <c>local@domain</c> without spaces or controls outside quotes (RFC 5321
    /// §4.1.2); the local part <c>postmaster</c> alone is valid for RCPT (§4.5.1).
    /// </summary>
    public static bool IsValidMailbox(string address, bool allowBarePostmaster)
    {
        if (allowBarePostmaster && address.Equals("postmaster", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return false;
        }

        var inQuotes = false;
        for (var i = 0; i < address.Length; i++)
        {
            var c = address[i];
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (char.IsControl(c) || (c == ' ' && !inQuotes))
            {
                return false;
            }
        }

        return !inQuotes;
    }

    /// <summary>RFC 6531 §3.4: addresses outside ASCII need the SMTPUTF8 parameter.</summary>
    public static bool IsAscii(string address) => System.Text.Ascii.IsValid(address);
}
