using System.Runtime.CompilerServices;
using System.Text;

namespace Mailroom.Inbound;

/// <summary>
/// .NET only knows Unicode and Latin-1 out of the box; Big5, Shift_JIS, KOI8-R, windows-125x…
/// come from the code-pages provider. MimeKit builds its charset table once, the first time it is
/// used, so the provider must be registered before any MimeKit call: hence a module initializer.
/// </summary>
public static class Charsets
{
#pragma warning disable CA2255 // This is the application's own assembly; running first is the point.
    [ModuleInitializer]
#pragma warning restore CA2255
    public static void Register() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
}
