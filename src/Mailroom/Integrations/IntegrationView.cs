namespace Mailroom.Integrations;

/// <summary>An integration as the admin page and the API show it.</summary>
public sealed record IntegrationView(Guid Id, Guid GroupId, string GroupName, string Title, string Address, DateTimeOffset CreatedAt);
