namespace Mailroom.Tasks;

public sealed record PersonRef(Guid Id, string DisplayName);
