using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mailroom.Smtp.Tests.Infrastructure;

/// <summary>A self-signed PFX in a temporary file, as an operator would configure it.</summary>
public sealed class TestCertificate : IDisposable
{
    public const string Password = "test-password";

    public TestCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=mx.mailroom.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("mx.mailroom.test");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mailroom-smtp-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(Path, certificate.Export(X509ContentType.Pfx, Password));
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
