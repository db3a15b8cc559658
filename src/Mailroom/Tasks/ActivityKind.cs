namespace Mailroom.Tasks;

public enum ActivityKind
{
    Created = 0,
    Comment = 1,
    Reply = 2,
    Email = 3,
    StatusChanged = 4,
    Moved = 5,
    Attachment = 6,
    Edited = 7,
    Assigned = 8,
    Closed = 9,
    Reopened = 10,
    AddressReset = 11,
    FieldChanged = 12,
    /// <summary>An email sent from the task left through its account.</summary>
    EmailSent = 13,
    /// <summary>An email from the task could not be sent (or was held): its code and reason.</summary>
    EmailFailed = 14,
}
