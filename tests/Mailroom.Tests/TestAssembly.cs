using System.Runtime.CompilerServices;

namespace Mailroom.Tests;

internal static class TestAssembly
{
    /// <summary>Tests use MimeKit directly, sometimes before any Mailroom type: register charsets first, as the server does.</summary>
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Init() => Mailroom.Inbound.Charsets.Register();
}
