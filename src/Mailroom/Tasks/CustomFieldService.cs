using System.Globalization;
using System.Net.Mail;
using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;

namespace Mailroom.Tasks;

/// <summary>
/// Custom fields of a list and their values on its tasks. Whoever sees the space reads them;
/// everyone but guests defines fields and sets values; each value change goes to the activity stream.
/// </summary>
public sealed class CustomFieldService(MailroomDb db, ListService lists, TaskService tasks, TimeProvider clock)
{
    public async Task<IReadOnlyList<CustomFieldView>> ListAsync(User actor, Guid listId, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetVisibleAsync(actor, listId, cancellationToken);
        var fields = await db.CustomFields.AsNoTracking().Where(f => f.ListId == list.Id).ToListAsync(cancellationToken);
        return fields.OrderBy(f => f.Position).ThenBy(f => f.Id).Select(View).ToList();
    }

    public async Task<CustomFieldView> CreateAsync(User actor, Guid listId, string? name, CustomFieldType? type, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetWritableAsync(actor, listId, cancellationToken);
        name = name?.Trim() ?? "";
        if (name.Length is 0 or > 200)
        {
            throw AppProblem.Invalid("invalid_field_name", "Give the field a name of 1 to 200 characters.");
        }
        if (type is not { } fieldType || !Enum.IsDefined(fieldType))
        {
            throw AppProblem.Invalid("invalid_field_type", "Choose the field's type: Text, Number, Date or Email.");
        }
        var existing = await db.CustomFields.Where(f => f.ListId == list.Id).ToListAsync(cancellationToken);
        if (existing.Any(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw AppProblem.Conflict("duplicate_field_name", $"The list {list.Name} already has a field named \"{name}\".");
        }
        var field = new CustomField
        {
            ListId = list.Id, Name = name, Type = fieldType,
            Position = existing.Count == 0 ? 0 : existing.Max(f => f.Position) + 1,
            CreatedAt = clock.GetUtcNow(),
        };
        db.CustomFields.Add(field);
        await db.SaveChangesAsync(cancellationToken);
        return View(field);
    }

    /// <summary>Removes the field and its values; each task that had a value says so in its activity stream.</summary>
    public async Task DeleteAsync(User actor, Guid fieldId, CancellationToken cancellationToken = default)
    {
        var field = await db.CustomFields.FirstOrDefaultAsync(f => f.Id == fieldId, cancellationToken) ?? throw AppProblem.NotFound("The field");
        await lists.GetWritableAsync(actor, field.ListId, cancellationToken);
        var values = await db.CustomFieldValues.AsNoTracking().Where(v => v.FieldId == field.Id).ToListAsync(cancellationToken);
        foreach (var value in values)
        {
            TaskService.Record(db, value.TaskId, ActivityKind.FieldChanged, actor.Id, $"deleted the field {field.Name} (it was {value.Value})");
        }
        db.CustomFields.Remove(field);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Puts the list's fields in the given order. <paramref name="fieldIds"/> names every field of the
    /// list exactly once, so a client working from a stale list (a field added or deleted since) is
    /// refused rather than half-applied.
    /// </summary>
    public async Task<IReadOnlyList<CustomFieldView>> ReorderAsync(User actor, Guid listId, IReadOnlyList<Guid>? fieldIds, CancellationToken cancellationToken = default)
    {
        var list = await lists.GetWritableAsync(actor, listId, cancellationToken);
        var fields = await db.CustomFields.Where(f => f.ListId == list.Id).ToListAsync(cancellationToken);
        if (fieldIds is null || fieldIds.Count != fields.Count || fieldIds.Distinct().Count() != fieldIds.Count || fieldIds.Any(id => fields.All(f => f.Id != id)))
        {
            throw AppProblem.Invalid("invalid_field_order",
                $"Give the ids of all {fields.Count} fields of the list {list.Name}, each once, in the order you want; reload the fields if they changed.");
        }
        for (var i = 0; i < fieldIds.Count; i++)
        {
            fields.Single(f => f.Id == fieldIds[i]).Position = i;
        }
        await db.SaveChangesAsync(cancellationToken);
        return fields.OrderBy(f => f.Position).Select(View).ToList();
    }

    /// <summary>Sets a task's value of a field of its list; null or blank clears it.</summary>
    public async Task<TaskView> SetValueAsync(User actor, Guid taskId, Guid fieldId, string? value, CancellationToken cancellationToken = default)
    {
        var (task, list) = await tasks.FindAsync(actor, taskId, write: true, cancellationToken);
        var field = await db.CustomFields.FirstOrDefaultAsync(f => f.Id == fieldId && f.ListId == task.ListId, cancellationToken)
            ?? throw AppProblem.NotFound("The field");
        var normalised = Normalise(field, value);
        var current = await db.CustomFieldValues.FirstOrDefaultAsync(v => v.TaskId == task.Id && v.FieldId == field.Id, cancellationToken);
        if (current?.Value != normalised)
        {
            if (normalised is null)
            {
                db.CustomFieldValues.Remove(current!);
                TaskService.Record(db, task.Id, ActivityKind.FieldChanged, actor.Id, $"cleared {field.Name}");
            }
            else
            {
                if (current is null)
                {
                    db.CustomFieldValues.Add(new CustomFieldValue { TaskId = task.Id, FieldId = field.Id, Value = normalised });
                }
                else
                {
                    current.Value = normalised;
                }
                TaskService.Record(db, task.Id, ActivityKind.FieldChanged, actor.Id, $"set {field.Name} to {normalised}");
            }
            task.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }
        return (await tasks.DescribeAsync(actor, [task], list.SpaceId, cancellationToken))[0];
    }

    /// <summary>The value as stored, or null to clear; throws <c>invalid_field_value</c> when it does not fit the type.</summary>
    public static string? Normalise(CustomField field, string? value)
    {
        value = value?.Trim() ?? "";
        if (value.Length == 0)
        {
            return null;
        }
        switch (field.Type)
        {
            case CustomFieldType.Number:
                if (!decimal.TryParse(value, NumberStyles.Number & ~NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var number))
                {
                    throw Invalid(field, "a number such as 42 or 3.5");
                }
                return number.ToString(CultureInfo.InvariantCulture);
            case CustomFieldType.Date:
                if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    throw Invalid(field, "a date written as yyyy-MM-dd, such as 2027-01-15");
                }
                return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case CustomFieldType.Email:
                var addresses = new List<string>();
                foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    addresses.Add(ValidAddress(part) ?? throw Invalid(field, "one or more email addresses separated by commas, such as ana@example.org, bo@example.com"));
                }
                if (addresses.Count == 0)
                {
                    return null;
                }
                var joined = string.Join(", ", addresses.Distinct(StringComparer.OrdinalIgnoreCase));
                return joined.Length <= 4000 ? joined : throw Invalid(field, "at most 4000 characters of email addresses");
            default:
                return value.Length <= 4000 ? value : throw Invalid(field, "text of at most 4000 characters");
        }
    }

    /// <summary>The bare address (no display name) when <paramref name="text"/> is one syntactically valid address with a dotted domain.</summary>
    private static string? ValidAddress(string text)
    {
        if (!MailAddress.TryCreate(text, out var address))
        {
            return null;
        }
        var at = address.Address.LastIndexOf('@');
        var local = address.Address[..at];
        var domain = address.Host;
        if (at <= 0 || local.Length == 0 || domain.Length == 0 || !domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.')
            || domain.Contains("..") || address.Address.Any(char.IsWhiteSpace))
        {
            return null;
        }
        return address.Address;
    }

    private static AppProblem Invalid(CustomField field, string expected) =>
        AppProblem.Invalid("invalid_field_value", $"The field \"{field.Name}\" takes {expected}.");

    private static CustomFieldView View(CustomField f) => new(f.Id, f.ListId, f.Name, f.Type, f.Position);
}
