namespace Mailroom.People;

/// <summary>Which in-app notifications about followed tasks a member gets (the bell).</summary>
public enum TaskNotifications
{
    /// <summary>Every email comment on a task they follow.</summary>
    All = 0,

    /// <summary>Only on followed tasks that are assigned to them.</summary>
    Assigned = 1,

    /// <summary>No task notifications at all.</summary>
    None = 2,
}
