using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>
/// The Data Protection key ring (it encrypts sign-in cookies and connected mailboxes' credentials):
/// a folder only Mailroom's user may open, and with an operator's certificate every key encrypted,
/// so a copy of the data directory alone decrypts nothing; the server still reads its keys back after a restart.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class KeyRingTests
{
    [Fact]
    public async Task WithoutACertificate_TheKeysFolderIsOpenToMailroomsUserOnly()
    {
        await using var server = await MailroomServer.StartAsync(Database.Sqlite);
        await server.SetupAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await WebSignIn.PostAsync(server, "owner@acme.test", "correct horse battery")).Status);

        var keys = Path.Combine(server.DataDirectory, "keys");
        Assert.NotEmpty(Directory.GetFiles(keys, "key-*.xml"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
    }

    [Fact]
    public async Task WithACertificate_EveryKeyIsEncrypted_AndSignInsOutliveARestart()
    {
        var folder = Directory.CreateTempSubdirectory("mailroom-cert-").FullName;
        var pfx = Path.Combine(folder, "keyring.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=Mailroom key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        }
        try
        {
            await using var server = await MailroomServer.StartAsync(Database.Sqlite, new Dictionary<string, string>
            {
                ["Mailroom:DataProtection:Certificate"] = pfx,
                ["Mailroom:DataProtection:CertificatePassword"] = "pfx-password",
            });
            await server.SetupAsync();
            var signIn = await WebSignIn.PostAsync(server, "owner@acme.test", "correct horse battery");
            Assert.Equal(HttpStatusCode.Redirect, signIn.Status);

            var key = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Path.Combine(server.DataDirectory, "keys"), "key-*.xml")));
            Assert.Contains("<encryptedSecret", key);
            Assert.Contains("EncryptedXmlDecryptor", key);
            // An unprotected key says so and holds the key itself in <value>.
            Assert.DoesNotContain("unencrypted form", key);
            Assert.DoesNotContain("<value>", key);

            server.Kill();
            await server.StartAsync();
            using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
            using var http = new HttpClient(handler) { BaseAddress = server.Http.BaseAddress };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/profile");
            request.Headers.Add("Cookie", string.Join("; ", signIn.SetCookies.Select(c => c.Split(';')[0])));
            using var profile = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
