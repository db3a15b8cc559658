using System.Security.Cryptography;
using System.Text;
using Mailroom.Storage;

namespace Mailroom.People;

/// <summary>Issues personal API tokens; the database keeps only their hashes.</summary>
public static class ApiTokens
{
    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Adds a token for the user to the context (not saved) and returns its secret text.</summary>
    public static string Issue(MailroomDb db, Guid userId, string name)
    {
        var token = "mr_" + Base32.Random(32);
        db.ApiTokens.Add(new ApiToken { UserId = userId, Name = name, TokenHash = HashOf(token) });
        return token;
    }
}
