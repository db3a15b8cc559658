using Mailroom.Storage;

namespace Mailroom.Posts;

/// <summary>A post in a group's feed, written in the app or made from an email (A1, A3).</summary>
public sealed class Post
{
    public Guid Id { get; set; } = Ids.New();
    public Guid GroupId { get; set; }
    public required string Title { get; set; }
    public string Body { get; set; } = "";

    /// <summary>Sanitised HTML of the email, when it had an HTML part.</summary>
    public string? BodyHtml { get; set; }

    public PostSource Source { get; set; }

    /// <summary>The member who wrote it, when written in the app.</summary>
    public Guid? AuthorUserId { get; set; }

    /// <summary>The sender's address and name, for posts made from email.</summary>
    public string? AuthorEmail { get; set; }
    public string? AuthorName { get; set; }

    /// <summary>Set when it came from an email whose From was not proven (DKIM/SPF/DMARC, or the operator's trust): the address is shown marked "unverified".</summary>
    public bool SenderUnverified { get; set; }

    /// <summary>Lines the system adds, e.g. which attachment was left out and why.</summary>
    public string? Notes { get; set; }

    /// <summary>The stored message this post was made from; with <see cref="IntegrationId"/> unique, so a message is never posted twice.</summary>
    public Guid? InboundMessageId { get; set; }
    public Guid? IntegrationId { get; set; }

    /// <summary>The email's Message-ID: with <see cref="IntegrationId"/> unique, so an email resent (or received by two servers at once) is posted once.</summary>
    public string? EmailMessageId { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public List<PostAttachment> Attachments { get; set; } = [];
}
