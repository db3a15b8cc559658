using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Mailroom.Inbound.Verification;

namespace Mailroom.Inbound;

/// <summary>
/// <c>mailroom inspect FILE.eml [--max-attachment-size BYTES]</c>: shows what Mailroom would make
/// of a saved email, without a database or a running server, so an operator can answer
/// "why was this mail not posted?" from the file alone. Prints one JSON object on stdout.
/// </summary>
/// <remarks>
/// Program.cs dispatches to it before building the host:
/// <c>if (args is ["inspect", ..]) return InspectCommand.Run(args[1..], Console.Out, Console.Error);</c>
/// </remarks>
public static class InspectCommand
{
    /// <summary>Success, whatever the mail turned out to be (a malformed mail is a valid answer).</summary>
    public const int Ok = 0;

    /// <summary>Wrong arguments, or the file could not be read.</summary>
    public const int UsageError = 2;

    private const string Usage = "usage: mailroom inspect FILE.eml [--max-attachment-size BYTES] [--verify] [--client-ip IP] [--mail-from ADDRESS] [--helo NAME] [--dns-server IP[:PORT]]";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,

        // Subjects and text are shown to a person: keep "é" and "<" readable, not \u00e9.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Runs the command; <paramref name="args"/> are the arguments after <c>inspect</c>.</summary>
    /// <returns><see cref="Ok"/> or <see cref="UsageError"/>, to be used as the process exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args is ["-h" or "--help"])
        {
            stdout.WriteLine(Usage);
            return Ok;
        }

        if (!TryParseVerification(ref args, out var verification, out var error) || !TryParse(args, out var path, out var maxAttachmentSize, out error))
        {
            stderr.WriteLine($"mailroom inspect: {error}");
            stderr.WriteLine(Usage);
            return UsageError;
        }

        byte[] raw;
        try
        {
            raw = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"mailroom inspect: cannot read {path}: {ex.Message}");
            return UsageError;
        }

        var read = new MessageReader(maxAttachmentSize).Read(raw);
        var report = new Report(
            read.Kind,
            read.Reason,
            read.FromAddress,
            read.FromName,
            read.Subject,
            read.Text,
            read.Visible,
            read.Quoted,
            read.MessageId,
            [.. read.Attachments.Select(a => new AttachmentReport(a.FileName, a.ContentType, a.Size, a.Kept, a.LeftOutReason))],
            InspectVerification.Run(raw, verification));
        stdout.WriteLine(JsonSerializer.Serialize(report, Json));
        return Ok;
    }

    /// <summary>Takes the sender-verification options out of <paramref name="args"/>, leaving the rest.</summary>
    private static bool TryParseVerification(ref string[] args, out InspectVerification.Arguments verification, out string error)
    {
        var rest = new List<string>();
        var values = new Dictionary<string, string>();
        var verify = false;
        error = "";
        verification = new InspectVerification.Arguments(false, null, null, null, null);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i].Split('=', 2)[0];
            if (args[i] == "--verify")
            {
                verify = true;
            }
            else if (name is "--client-ip" or "--mail-from" or "--helo" or "--dns-server")
            {
                if (args[i].Contains('='))
                {
                    values[name] = args[i].Split('=', 2)[1];
                }
                else if (i + 1 < args.Length)
                {
                    values[name] = args[++i];
                }
                else
                {
                    error = $"{name} needs a value";
                    return false;
                }
            }
            else
            {
                rest.Add(args[i]);
            }
        }
        args = [.. rest];
        verification = new InspectVerification.Arguments(verify, values.GetValueOrDefault("--client-ip"),
            values.TryGetValue("--mail-from", out var mailFrom) ? mailFrom.Trim('<', '>') : null, values.GetValueOrDefault("--helo"), values.GetValueOrDefault("--dns-server"));
        return true;
    }

    private static bool TryParse(string[] args, out string path, out long maxAttachmentSize, out string error)
    {
        path = "";
        maxAttachmentSize = new InboundOptions().MaxAttachmentSize;
        error = "";
        string? file = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? size = null;
            if (arg == "--max-attachment-size")
            {
                if (i + 1 >= args.Length)
                {
                    error = "--max-attachment-size needs a number of bytes";
                    return false;
                }

                size = args[++i];
            }
            else if (arg.StartsWith("--max-attachment-size=", StringComparison.Ordinal))
            {
                size = arg["--max-attachment-size=".Length..];
            }
            else if (arg.StartsWith('-'))
            {
                error = $"unknown option {arg}";
                return false;
            }
            else if (file is null)
            {
                file = arg;
                continue;
            }
            else
            {
                error = $"only one file can be inspected (got {file} and {arg})";
                return false;
            }

            if (!long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out maxAttachmentSize) || maxAttachmentSize < 0)
            {
                error = $"--max-attachment-size must be a whole number of bytes (got \"{size}\")";
                return false;
            }
        }

        if (file is null)
        {
            error = "no file given";
            return false;
        }

        path = file;
        return true;
    }

    private sealed record Report(
        string Kind,
        string Reason,
        string? From,
        string? FromName,
        string Subject,
        string Text,
        string Visible,
        string Quoted,
        string? MessageId,
        IReadOnlyList<AttachmentReport> Attachments,
        InspectVerification.Report Verification);

    private sealed record AttachmentReport(string Name, string Type, long Size, bool Kept, string? Reason);
}
