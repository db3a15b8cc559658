using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Mailroom.Tests.Infrastructure;

/// <summary>A test RSA key that signs with MimeKit's <see cref="DkimSigner"/>, and the TXT record that publishes it.</summary>
public sealed class TestDkim
{
    private static readonly Lazy<AsymmetricCipherKeyPair> SharedKey = new(() =>
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new KeyGenerationParameters(new SecureRandom(), 1024));
        return generator.GenerateKeyPair();
    });

    public TestDkim(string domain, string selector = "mail")
    {
        Domain = domain;
        Selector = selector;
    }

    public string Domain { get; }
    public string Selector { get; }

    public string RecordName => $"{Selector}._domainkey.{Domain}";

    public string Record => "v=DKIM1; k=rsa; p=" + Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(SharedKey.Value.Public).GetEncoded());

    public TestDns Publish(TestDns dns) => dns.Txt(RecordName, Record);

    /// <summary>Signs From, To, Subject, Date and Message-ID and the body (relaxed/relaxed), as a sending domain's server would.</summary>
    public MimeMessage Sign(MimeMessage message)
    {
        message.Date = message.Date == default ? DateTimeOffset.UtcNow : message.Date;
        message.Prepare(EncodingConstraint.SevenBit);
        var signer = new DkimSigner(SharedKey.Value.Private, Domain, Selector, DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        signer.Sign(message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId]);
        return message;
    }
}
