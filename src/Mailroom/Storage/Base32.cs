using System.Security.Cryptography;

namespace Mailroom.Storage;

/// <summary>Lower-case RFC 4648 base32 without padding: safe in email local parts and URLs.</summary>
public static class Base32
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>A string of <paramref name="length"/> characters, each carrying 5 random bits.</summary>
    public static string Random(int length) =>
        string.Create(length, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[RandomNumberGenerator.GetInt32(32)];
            }
        });
}
