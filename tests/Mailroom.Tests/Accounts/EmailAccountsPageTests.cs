using System.Net;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.Accounts;

/// <summary>
/// Settings → Email accounts as a browser posts it, against a real Dovecot: a right password
/// lists the mailbox, a wrong one shows NEMAIL_002's remedy without echoing the password, guests get no form.
/// </summary>
public class EmailAccountsPageTests(MailServerFixture fixture) : IClassFixture<MailServerFixture>
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private const string Page = "/settings/email-accounts";

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task LinkForm_WithTheRightPassword_ListsTheAccount_WithProviderSendAsNameAndState(Database database)
    {
        await using var server = await AccountLinkingTests.StartAsync(database);
        await server.SetupAsync();
        var cookies = await SignInAsync(server, "Mia Member", "mia@acme.test", "Member");

        var answer = await WebForm.PostAsync(server, Page, "link-account", Form(MailServerFixture.MiaPassword, "link"), cookies);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("mia@mail.test is linked: both logins passed.", answer.Html);
        var table = answer.Html[answer.Html.IndexOf("<table class=\"log-stack\" aria-label=\"Email accounts\"", StringComparison.Ordinal)..];
        Assert.Contains("<td data-label=\"Address\">mia@mail.test</td>", table);
        Assert.Contains("<td data-label=\"Provider\">Custom (IMAP/SMTP)</td>", table);
        Assert.Contains("<td data-label=\"Send as\">Mia from Acme</td>", table);
        Assert.Contains(">Working</span>", table);
        Assert.Contains("Yes, remove it", table);
        Assert.DoesNotContain(MailServerFixture.MiaPassword, answer.Html);

        // A fresh visit lists it too: it was saved, not only shown.
        Assert.Contains("<td data-label=\"Address\">mia@mail.test</td>", await GetAsync(server, Page, cookies));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task LinkForm_WithAWrongPassword_ShowsTheNemail002Remedy_KeepsTheFields_AndNeverTheTypedPassword(Database database)
    {
        await using var server = await AccountLinkingTests.StartAsync(database);
        await server.SetupAsync();
        var cookies = await SignInAsync(server, "Mia Member", "mia@acme.test", "Member");
        const string typed = "Not-Mias-Password-93";

        var answer = await WebForm.PostAsync(server, Page, "link-account", Form(typed, "link"), cookies);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("Login refused (NEMAIL_002)", answer.Html);
        Assert.Contains("Could not log in to IMAP", answer.Html);
        Assert.Contains("Remove and reconnect the account, then try again.", answer.Html);
        Assert.Contains("role=\"alert\"", answer.Html);
        Assert.Contains("No email accounts linked yet", answer.Html);
        Assert.DoesNotContain(typed, answer.Html);
        Assert.Contains("value=\"mia@mail.test\"", answer.Html);
        Assert.Contains("value=\"Mia from Acme\"", answer.Html);
        Assert.Contains($"value=\"{fixture.Mail.ImapPort}\"", answer.Html);

        // "Test connection" with the same wrong password says the same, and links nothing.
        var test = await WebForm.PostAsync(server, Page, "link-account", Form(typed, "test"), cookies);
        Assert.Contains("Remove and reconnect the account, then try again.", test.Html);
        Assert.DoesNotContain(typed, test.Html);
        var passed = await WebForm.PostAsync(server, Page, "link-account", Form(MailServerFixture.MiaPassword, "test"), cookies);
        Assert.Contains("Both logins passed", passed.Html);
        Assert.Contains("No email accounts linked yet", passed.Html);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Guest_GetsTheRefusal_NoFormAndNoSidebarLink(Database database)
    {
        await using var server = await AccountLinkingTests.StartAsync(database);
        await server.SetupAsync();
        var memberCookies = await SignInAsync(server, "Mia Member", "mia@acme.test", "Member");
        var guestCookies = await SignInAsync(server, "Gus Guest", "gus@client.example", "Guest");

        var guestPage = await GetAsync(server, Page, guestCookies);
        Assert.Contains("Guests cannot link email accounts", guestPage);
        Assert.DoesNotContain("Link an email", guestPage);
        Assert.DoesNotContain("href=\"/settings/email-accounts\"", guestPage);

        var memberPage = await GetAsync(server, Page, memberCookies);
        Assert.Contains("Link an email", memberPage);
        Assert.Contains("href=\"/settings/email-accounts\"", memberPage);
    }

    private Dictionary<string, string> Form(string password, string action) => new()
    {
        ["Input.Provider"] = "Custom",
        ["Input.Email"] = fixture.Mail.Address("mia"),
        ["Input.SendAsName"] = "Mia from Acme",
        ["Input.Username"] = "",
        ["Input.Password"] = password,
        ["Input.ImapHost"] = "127.0.0.1",
        ["Input.ImapPort"] = fixture.Mail.ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Input.ImapSecurity"] = "None",
        ["Input.SmtpHost"] = "127.0.0.1",
        ["Input.SmtpPort"] = fixture.Mail.SubmissionPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Input.SmtpSecurity"] = "None",
        ["Input.Action"] = action,
    };

    private static async Task<List<string>> SignInAsync(MailroomServer server, string name, string email, string role)
    {
        var (_, client) = await server.Http.AddMemberAsync(name, email, role);
        client.Dispose();
        var signIn = await WebSignIn.PostAsync(server, email, "member-password");
        Assert.Equal(HttpStatusCode.Redirect, signIn.Status);
        return signIn.SetCookies.Select(c => c.Split(';')[0]).ToList();
    }

    private static Task<string> GetAsync(MailroomServer server, string path, IReadOnlyList<string> cookies) => WebForm.GetAsync(server, path, cookies);
}
