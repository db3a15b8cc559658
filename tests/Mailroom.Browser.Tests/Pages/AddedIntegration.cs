using Microsoft.Playwright;

namespace Mailroom.Browser.Tests.Pages;

/// <summary>What the add page shows once the address is generated.</summary>
public sealed record AddedIntegration(string Address, string GroupPath, ILocator CopyButton);
