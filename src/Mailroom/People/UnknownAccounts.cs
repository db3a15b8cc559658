using Microsoft.AspNetCore.Identity;

namespace Mailroom.People;

/// <summary>
/// Identity answers an unknown email at once but hashes the password of a known one (PBKDF2,
/// tens of milliseconds), so the time of a wrong sign-in would tell whether the account exists.
/// For an unknown email the password is checked against a dummy hash instead, with the same hasher.
/// </summary>
public sealed class UnknownAccounts(IPasswordHasher<User> hasher)
{
    private static readonly User Nobody = new() { DisplayName = "nobody", UserName = "nobody" };
    private static string? s_dummyHash;

    public void SpendPasswordCheck(string? password)
    {
        var hash = s_dummyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N"));
        hasher.VerifyHashedPassword(Nobody, hash, password ?? "");
    }
}
