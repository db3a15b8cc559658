using Mailroom.Storage;

namespace Mailroom.Tasks;

public enum CustomFieldType
{
    Text = 0,
    Number = 1,
    Date = 2,
    Email = 3,
}

/// <summary>A field every task of a list has, e.g. "Client email" of type Email.</summary>
public sealed class CustomField
{
    public Guid Id { get; set; } = Ids.New();
    public Guid ListId { get; set; }
    public required string Name { get; set; }
    public CustomFieldType Type { get; set; }

    /// <summary>Order on the task page, smallest first.</summary>
    public int Position { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>One task's value of one field, stored as validated, normalised text.</summary>
public sealed class CustomFieldValue
{
    public Guid Id { get; set; } = Ids.New();
    public Guid TaskId { get; set; }
    public Guid FieldId { get; set; }
    public required string Value { get; set; }
}

public sealed record CustomFieldView(Guid Id, Guid ListId, string Name, CustomFieldType Type, int Position);

/// <summary>A field as a task shows it; <see cref="Value"/> is null when not set.</summary>
public sealed record TaskFieldView(Guid FieldId, string Name, CustomFieldType Type, string? Value);
