using System.Text;

namespace Mailroom.Smtp.Tests.Infrastructure;

/// <summary>
/// A recorded conversation (in the manner of MailKit's SmtpReplayStream): <c>C: </c> lines are
/// sent, <c>S: </c> lines are expected, exactly or up to a trailing <c>*</c>. <c>#! Key=Value</c>
/// lines set <c>Mailroom:Smtp</c> options for the server; other <c>#</c> lines are comments.
/// </summary>
public sealed class Transcript
{
    private Transcript(string name, Dictionary<string, string?> settings, List<(bool FromClient, string Text)> lines)
    {
        Name = name;
        Settings = settings;
        Lines = lines;
    }

    public string Name { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public IReadOnlyList<(bool FromClient, string Text)> Lines { get; }

    public static Transcript Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Transcripts", name);
        var settings = new Dictionary<string, string?>();
        var lines = new List<(bool, string)>();
        foreach (var raw in File.ReadAllLines(path, Encoding.UTF8))
        {
            if (raw.StartsWith("#!", StringComparison.Ordinal))
            {
                var setting = raw[2..].Trim().Split('=', 2);
                settings[setting[0]] = setting[1];
            }
            else if (raw.StartsWith("C: ", StringComparison.Ordinal) || raw == "C:")
            {
                lines.Add((true, raw.Length > 3 ? raw[3..] : string.Empty));
            }
            else if (raw.StartsWith("S: ", StringComparison.Ordinal))
            {
                lines.Add((false, raw[3..]));
            }
            else if (raw.Length > 0 && !raw.StartsWith('#'))
            {
                throw new FormatException($"{name}: line must start with C:, S: or #: {raw}");
            }
        }

        return new Transcript(name, settings, lines);
    }

    /// <summary>Starts a server with the transcript's options, replays it and returns the server for more assertions.</summary>
    public static async Task<SmtpTestServer> ReplayAsync(string name, ReplayMode mode)
    {
        var transcript = Load(name);
        var server = await SmtpTestServer.StartAsync(transcript.Settings);
        try
        {
            await transcript.ReplayAsync(server.Port, mode);
            await server.WaitForIdleAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task ReplayAsync(int port, ReplayMode mode)
    {
        await using var client = await RawSmtpClient.ConnectAsync(port);
        if (mode == ReplayMode.Whole)
        {
            var all = string.Concat(Lines.Where(l => l.FromClient).Select(l => l.Text + "\r\n"));
            await client.SendAsync(all);
        }

        var lastServerLine = string.Empty;
        for (var i = 0; i < Lines.Count; i++)
        {
            var (fromClient, text) = Lines[i];
            if (fromClient)
            {
                var bytes = Encoding.UTF8.GetBytes(text + "\r\n");
                if (mode == ReplayMode.LineByLine)
                {
                    await client.SendAsync(bytes);
                }
                else if (mode == ReplayMode.ByteByByte)
                {
                    await client.SendByteByByteAsync(bytes);
                }

                continue;
            }

            var actual = await client.ReadLineAsync();
            Assert.True(Matches(text, actual), $"{Name} ({mode}), line {i + 1}: expected \"{text}\", got \"{actual ?? "<closed>"}\"");
            lastServerLine = text;
        }

        if (lastServerLine.StartsWith("221", StringComparison.Ordinal) || lastServerLine.StartsWith("421", StringComparison.Ordinal))
        {
            Assert.Null(await client.ReadLineAsync());
        }
    }

    private static bool Matches(string expected, string? actual) =>
        actual is not null && (expected.EndsWith('*')
            ? actual.StartsWith(expected[..^1], StringComparison.Ordinal)
            : actual == expected);
}
