using System.Diagnostics;
using System.Globalization;
using Mailroom.Hostile;
using Mailroom.Inbound;

// Times reading mail on hostile shapes against plain mail of the same size; see README.md.
var mode = args.Length > 0 ? args[0] : "ratios";
var sizes = (args.Length > 1 ? args[1] : "1,2,4").Split(',').Select(s => (int)(double.Parse(s, CultureInfo.InvariantCulture) * 1024 * 1024)).ToArray();
var shapes = args.Length > 2 ? args[2].Split(',') : HostileMail.Shapes.ToArray();
if (mode == "ratios")
{
    // Processing time per MB of each shape divided by that of a plain message of the same size:
    // flat (or falling, where a cap takes over) from the smallest size to the largest.
    var reader = new MessageReader(5 * 1024 * 1024);
    double TimeMs(string shape, int size)
    {
        var raw = HostileMail.Generate(shape, size);
        // Repeated up to some 20 MB read in all: process CPU time moves in steps of 10 ms.
        var runs = (int)Math.Clamp(20L * 1024 * 1024 / size, 1, 50);
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < runs; i++)
        {
            // CPU time, not wall time: the machine is shared, and reading is one thread's work
            // (plus the GC's, which belongs to it).
            var read = reader.Read(raw);
            _ = read.Visible;
        }
        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds / runs;
    }
    foreach (var shape in shapes.Prepend("plain"))
    {
        // Every code path JIT-compiled before anything is timed.
        TimeMs(shape, 100 * 1024);
    }
    var plain = sizes.Select(size => TimeMs("plain", size)).ToArray();
    Console.WriteLine($"cores: {Environment.ProcessorCount}");
    Console.WriteLine("| shape | " + string.Join(" | ", sizes.Select(Mb)) + " | worst ms/MB |");
    Console.WriteLine("|---|" + string.Concat(sizes.Select(_ => "---:|")) + "---:|");
    Console.WriteLine("| plain (ms/MB) | " + string.Join(" | ", sizes.Select((size, i) => (plain[i] / (size / 1048576.0)).ToString("F1", CultureInfo.InvariantCulture))) + $" | {sizes.Select((size, i) => plain[i] / (size / 1048576.0)).Max():F1} |");
    foreach (var shape in shapes.Where(s => s != "plain"))
    {
        var times = sizes.Select(size => TimeMs(shape, size)).ToArray();
        var ratios = times.Select((t, i) => t / Math.Max(plain[i], 0.5));
        Console.WriteLine($"| {shape} | " + string.Join(" | ", ratios.Select(r => r.ToString("F1", CultureInfo.InvariantCulture))) + $" | {times.Select((t, i) => t / (sizes[i] / 1048576.0)).Max():F0} |");
    }
}
else if (mode == "rss")
{
    await Rss.RunAsync(args.Length > 3 ? args[3] : "src/Mailroom/bin/Release/net10.0/Mailroom.dll", sizes[0]);
}
else if (mode == "stages")
{
    foreach (var shape in shapes)
    {
        foreach (var size in sizes)
        {
            var raw = HostileMail.Generate(shape, size);
            var reader = new MessageReader(5 * 1024 * 1024);
            var sw = Stopwatch.StartNew();
            var read = reader.Read(raw);
            var readMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var visible = read.Visible.Length;
            var replyMs = sw.Elapsed.TotalMilliseconds;
            Console.WriteLine($"{shape,-24} {raw.Length / 1048576.0,6:F1} MB  read {readMs,9:F0} ms  reply {replyMs,9:F0} ms  kind {read.Kind} text {read.Text.Length} html {read.SanitizedHtml?.Length} att {read.Attachments.Count} vis {visible} reason {read.Reason[..Math.Min(60, read.Reason.Length)]}");
            if (readMs + replyMs > 20000)
            {
                Console.WriteLine($"{shape}: too slow, larger sizes skipped");
                break;
            }
        }
    }
}
else if (mode == "detail")
{
    foreach (var shape in shapes)
    {
        foreach (var size in sizes)
        {
            var raw = HostileMail.Generate(shape, size);
            var sw = Stopwatch.StartNew();
            var message = MimeKit.MimeMessage.Load(new MemoryStream(raw));
            var parse = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var subject = message.Subject;
            var subjectMs = sw.Elapsed.TotalMilliseconds;
            var html = message.BodyParts.OfType<MimeKit.TextPart>().FirstOrDefault(p => p.IsHtml);
            sw.Restart();
            string? source = null;
            try { source = html?.Text; } catch (Exception ex) { Console.WriteLine(ex.GetType().Name); }
            var textMs = sw.Elapsed.TotalMilliseconds;
            double toText = 0, sanitize = 0, quotes = 0;
            if (source is not null)
            {
                sw.Restart();
                HtmlText.ToPlainText(source);
                toText = sw.Elapsed.TotalMilliseconds;
                sw.Restart();
                MailHtmlSanitizer.Sanitize(source);
                sanitize = sw.Elapsed.TotalMilliseconds;
                sw.Restart();
                HtmlQuotes.Remove(source);
                quotes = sw.Elapsed.TotalMilliseconds;
            }
            Console.WriteLine($"{shape,-24} {raw.Length / 1048576.0,6:F1} MB  parse {parse,7:F0} subject {subjectMs,7:F0} text {textMs,7:F0} totext {toText,7:F0} sanitize {sanitize,7:F0} quotes {quotes,7:F0}  src {source?.Length}");
        }
    }
}
else if (mode == "sanitize")
{
    foreach (var unit in new[] { "<p>cafe ete</p>\r\n", "<p>caf\u00e9 \u00e9t\u00e9</p>\r\n", "<p>a</p><p>b</p>", "text\r\n", "caf\u00e9\r\n", "<b>x</b>" })
    {
        foreach (var size in sizes)
        {
            var sb = new System.Text.StringBuilder();
            while (sb.Length < size) sb.Append(unit);
            var s = sb.ToString();
            var sw = Stopwatch.StartNew();
            var parsed = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(s);
            var parseMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            var outHtml = parsed.Body!.InnerHtml;
            var serialize = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            new Ganss.Xss.HtmlSanitizer().Sanitize(s);
            var plain = sw.Elapsed.TotalMilliseconds;
            Console.WriteLine($"{unit.Trim(),-20} {size / 1048576.0,5:F2} MB parse {parseMs,7:F0} serialize {serialize,7:F0} default-sanitizer {plain,7:F0}");
        }
    }
}

static string Mb(int size) => size >= 1024 * 1024 ? $"{size / 1048576.0:0.#} MB" : $"{size / 1024} KB";
