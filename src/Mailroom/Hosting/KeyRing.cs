using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace Mailroom.Hosting;

/// <summary>
/// The Data Protection key ring (it encrypts sign-in cookies and connected mailboxes' passwords
/// and tokens), kept in the data directory, or in <c>Mailroom:DataProtection:KeysDirectory</c>
/// (shared storage: several servers on one database must read each other's ciphertext, since any
/// of them may send through a mailbox linked on another), and protected as far as the platform allows: a folder
/// only Mailroom's user may read on Linux and macOS; DPAPI on Windows; and, when the operator gives
/// one, every key encrypted with an X.509 certificate (<c>Mailroom:DataProtection:Certificate</c>,
/// a PKCS#12 file, with <c>CertificatePassword</c>) so a copy of the data directory alone reveals nothing.
/// </summary>
public static class KeyRing
{
    public const string CertificateKey = "Mailroom:DataProtection:Certificate";
    public const string CertificatePasswordKey = "Mailroom:DataProtection:CertificatePassword";
    public const string KeysDirectoryKey = "Mailroom:DataProtection:KeysDirectory";

    public static IDataProtectionBuilder AddMailroomKeyRing(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        var keys = configuration[KeysDirectoryKey] is { Length: > 0 } shared ? Path.GetFullPath(shared) : Path.Combine(dataDirectory, "keys");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(keys);
        }
        else
        {
            Directory.CreateDirectory(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            // An older data directory made with the default umask: close it now.
            File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var builder = services.AddDataProtection()
            .SetApplicationName("Mailroom")
            .PersistKeysToFileSystem(new DirectoryInfo(keys));
        if (configuration[CertificateKey] is { Length: > 0 } path)
        {
            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration[CertificatePasswordKey]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new InvalidOperationException($"{CertificateKey}: could not read the certificate {path} ({e.Message}). Give a PKCS#12 (.pfx) file with its private key, and its password in {CertificatePasswordKey}.", e);
            }
            if (!certificate.HasPrivateKey)
            {
                throw new InvalidOperationException($"{CertificateKey}: {path} holds no private key; Mailroom needs it to read its keys back.");
            }
            builder.ProtectKeysWithCertificate(certificate);
        }
        else if (OperatingSystem.IsWindows())
        {
            builder.ProtectKeysWithDpapi();
        }
        return builder;
    }
}
