namespace Mailroom.Components.Interactive;

/// <summary>
/// Marks a page that holds interactive components: only such pages load blazor.web.js and open a
/// circuit. Every other page stays a plain document (no 200 KB script, no WebSocket).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class InteractiveIslandsAttribute : Attribute;
