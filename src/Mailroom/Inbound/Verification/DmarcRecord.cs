namespace Mailroom.Inbound.Verification;

/// <summary>The parts of a DMARC record (RFC 7489 §6.3) that decide alignment and policy.</summary>
public sealed record DmarcRecord(string Policy, bool StrictDkim, bool StrictSpf)
{
    public static DmarcRecord? Parse(string txt)
    {
        var tags = txt.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(t => t.Length == 2)
            .GroupBy(t => t[0].ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.First()[1]);
        if (!tags.TryGetValue("v", out var version) || version != "DMARC1")
        {
            return null;
        }
        return new DmarcRecord(
            tags.GetValueOrDefault("p", "none").ToLowerInvariant(),
            tags.GetValueOrDefault("adkim", "r").Equals("s", StringComparison.OrdinalIgnoreCase),
            tags.GetValueOrDefault("aspf", "r").Equals("s", StringComparison.OrdinalIgnoreCase));
    }
}
