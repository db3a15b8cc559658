using System.Net;
using System.Text.RegularExpressions;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>
/// A refused form comes back without the password that was typed into it (not in a value, not
/// anywhere in the page), and its error is tied to the password field.
/// </summary>
public class FormPasswordTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task SignIn_WrongPassword_TheReturnedPageDoesNotContainIt(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync(email: "owner@acme.test");
        const string typed = "Wrong-Horse-Battery-77";

        var answer = await WebForm.PostAsync(server, "/signin", "signin", new Dictionary<string, string>
        {
            ["Input.Email"] = "owner@acme.test",
            ["Input.Password"] = typed,
        });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("Wrong email or password.", answer.Html);
        Assert.DoesNotContain(typed, answer.Html);
        Assert.DoesNotContain("value=\"Wrong", answer.Html);
        Assert.Contains("value=\"owner@acme.test\"", answer.Html);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Setup_TooShortPassword_TheReturnedPageDoesNotContainIt_AndTiesTheErrorToTheField(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        const string typed = "Zq7-xy";

        var answer = await WebForm.PostAsync(server, "/setup", "setup", new Dictionary<string, string>
        {
            ["Input.WorkspaceName"] = "Acme",
            ["Input.OwnerName"] = "Olivia Owner",
            ["Input.Email"] = "owner@acme.test",
            ["Input.Password"] = typed,
        });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.DoesNotContain(typed, answer.Html);
        var field = PasswordInput(answer.Html, "password");
        Assert.Contains("aria-invalid=\"true\"", field);
        Assert.Contains("aria-describedby=\"password-hint password-error\"", field);
        Assert.Matches("id=\"password-error\"[^>]*>Use at least 8 characters.<", answer.Html);
        // The fields that were right are kept, so only the password is typed again.
        Assert.Contains("value=\"Olivia Owner\"", answer.Html);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task AddMember_TooShortPassword_TheReturnedPageDoesNotContainIt(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync(email: "owner@acme.test", password: "correct horse battery");
        var signIn = await WebSignIn.PostAsync(server, "owner@acme.test", "correct horse battery");
        Assert.Equal(HttpStatusCode.Redirect, signIn.Status);
        const string typed = "Pw-4x9";

        var answer = await WebForm.PostAsync(server, "/admin/members", "add-member", new Dictionary<string, string>
        {
            ["Input.Name"] = "Mia Member",
            ["Input.Email"] = "mia@acme.test",
            ["Input.Password"] = typed,
            ["Input.Role"] = "Member",
        }, signIn.SetCookies.Select(c => c.Split(';')[0]).ToList());

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("The password needs at least 8 characters.", answer.Html);
        Assert.DoesNotContain(typed, answer.Html);
        Assert.Contains("aria-invalid=\"true\"", PasswordInput(answer.Html, "member-password"));
    }

    private static string PasswordInput(string html, string id) =>
        Regex.Match(html, $"<input[^>]*id=\"{id}\"[^>]*>").Value is { Length: > 0 } input ? input : throw new Xunit.Sdk.XunitException($"No input #{id} in the page.");
}
