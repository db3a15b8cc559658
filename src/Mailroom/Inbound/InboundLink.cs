namespace Mailroom.Inbound;

/// <summary>What a message became, as a link: <c>post</c> (to its place in the group feed), <c>task</c> or <c>comment</c> (on its task's page).</summary>
public sealed record InboundLink(string Kind, Guid Id, string Title, string Url);
