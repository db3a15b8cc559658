using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using Mailroom.Smtp;
using Mailroom.Smtp.Limits;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mailroom.Fuzz;

/// <summary>
/// The input is what a client sends on one connection. It is played to the real
/// <see cref="SmtpConnectionHandler"/> (session, line reader, every verb, path parser, DATA
/// reader) over in-memory pipes twice: in one write, then cut into small pieces at places
/// derived from the input. The replies and the delivered messages must be the same both times
/// (the reader claims every decision survives a split anywhere), and every reply must be one
/// well-formed line (RFC 5321 §4.2).
/// </summary>
/// <remarks>
/// LMTP (RFC 2033) when the input starts with <c>LHLO</c>, SMTP otherwise. Limits are small so
/// short inputs reach them: 512-byte command lines (the RFC minimum), 1000-byte DATA lines,
/// 4 KB messages, 4 recipients.
/// </remarks>
internal static class SmtpTarget
{
    public const int MaxMessageSize = 4096;
    public const int MaxDataLineLength = 1000;

    private static readonly PipeOptions Inline = new(
        readerScheduler: PipeScheduler.Inline,
        writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 0,
        useSynchronizationContext: false);

    private static readonly ServiceProvider Services = new ServiceCollection()
        .AddSingleton<FuzzSink>()
        .AddSingleton<ISmtpMessageSink>(sp => sp.GetRequiredService<FuzzSink>())
        .BuildServiceProvider();

    public static void Run(byte[] input)
    {
        var whole = Play(input, [input.Length]);
        var pieces = Play(input, Cuts(input));
        if (Program.Verbose)
        {
            Console.WriteLine(whole.Replies + string.Join("\n", whole.Deliveries));
        }

        if (whole.Replies != pieces.Replies)
        {
            throw new FuzzFinding($"replies depend on how the input was cut:\n--- one write\n{whole.Replies}\n--- in pieces\n{pieces.Replies}");
        }

        if (!whole.Deliveries.SequenceEqual(pieces.Deliveries))
        {
            throw new FuzzFinding(
                $"deliveries depend on how the input was cut:\n--- one write\n{string.Join("\n", whole.Deliveries)}\n--- in pieces\n{string.Join("\n", pieces.Deliveries)}");
        }

        CheckReplies(whole.Replies);
        if (Services.GetRequiredService<FuzzSink>().Violation is { } violation)
        {
            throw new FuzzFinding(violation);
        }
    }

    private static (string Replies, List<string> Deliveries) Play(byte[] input, IEnumerable<int> cuts)
    {
        var options = new SmtpServerOptions
        {
            HostName = "mx.fuzz.test",
            Mode = StartsWithLhlo(input) ? "lmtp" : "smtp",
            MaxMessageSize = MaxMessageSize,
            MaxRecipients = 4,
            MaxCommandLineLength = 512,
            MaxDataLineLength = MaxDataLineLength,
        };
        var sink = Services.GetRequiredService<FuzzSink>();
        sink.Deliveries.Clear();
        sink.Violation = null;
        var handler = new SmtpConnectionHandler(
            Services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(options),
            NullLogger<SmtpConnectionHandler>.Instance,
            new ClientLimiter(Options.Create(options)),
            new BodyBudget(Options.Create(options)));

        var toServer = new Pipe(Inline);
        var toClient = new Pipe(Inline);
        var connection = new DefaultConnectionContext(
            "fuzz",
            new DuplexPipe(toServer.Reader, toClient.Writer),
            new DuplexPipe(toClient.Reader, toServer.Writer))
        {
            RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 40000),
            LocalEndPoint = new IPEndPoint(IPAddress.Loopback, 25),
        };

        var session = handler.OnConnectedAsync(connection);
        var offset = 0;
        foreach (var length in cuts)
        {
            toServer.Writer.Write(input.AsSpan(offset, length));
            offset += length;

            // Inline schedulers: the session runs inside this flush, up to its next read.
            toServer.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
            if (session.IsCompleted)
            {
                break;
            }
        }

        toServer.Writer.Complete();
        if (!session.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new FuzzFinding("the session did not end after the client's input ended");
        }

        session.GetAwaiter().GetResult();

        // Replies written but never flushed still count: they are what the client would get next.
        toClient.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
        toClient.Reader.TryRead(out var replies);
        var text = Encoding.UTF8.GetString(replies.Buffer.ToArray());
        return (text, [.. sink.Deliveries]);
    }

    /// <summary>Piece lengths of 1–8 bytes, from a generator seeded with the input's hash.</summary>
    private static List<int> Cuts(byte[] input)
    {
        var hash = 2166136261;
        foreach (var b in input)
        {
            hash = (hash ^ b) * 16777619;
        }

        var random = new Random((int)hash);
        var cuts = new List<int>();
        for (var left = input.Length; left > 0;)
        {
            var length = Math.Min(left, random.Next(1, 9));
            cuts.Add(length);
            left -= length;
        }

        return cuts;
    }

    private static bool StartsWithLhlo(byte[] input) =>
        input.Length >= 4 && Ascii.EqualsIgnoreCase(input.AsSpan(0, 4), "LHLO"u8);

    /// <summary>Each reply line is <c>ddd</c>, a space or hyphen, text without CR or LF, then CRLF.</summary>
    private static void CheckReplies(string replies)
    {
        if (!replies.StartsWith("220 ", StringComparison.Ordinal))
        {
            throw new FuzzFinding($"the session did not open with 220:\n{replies}");
        }

        var lines = replies.Split("\r\n");
        if (lines[^1].Length != 0)
        {
            throw new FuzzFinding($"the last reply does not end with CRLF:\n{replies}");
        }

        foreach (var line in lines[..^1])
        {
            var wellFormed = line.Length >= 4
                && char.IsAsciiDigit(line[0]) && char.IsAsciiDigit(line[1]) && char.IsAsciiDigit(line[2])
                && line[3] is ' ' or '-'
                && line.AsSpan(4).IndexOfAny('\r', '\n') < 0;
            if (!wellFormed)
            {
                throw new FuzzFinding($"malformed reply line {Escape(line)} in:\n{replies}");
            }
        }
    }

    private static string Escape(string line) => line.Replace("\r", "\\r").Replace("\n", "\\n");

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}
