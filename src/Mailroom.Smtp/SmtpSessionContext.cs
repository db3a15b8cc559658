using System.Net;

namespace Mailroom.Smtp;

/// <summary>What the application may know about the client behind a session.</summary>
public sealed class SmtpSessionContext
{
    public required string ConnectionId { get; init; }
    public EndPoint? RemoteEndPoint { get; init; }
    public bool IsLmtp { get; init; }
    public string? HeloName { get; set; }
    public bool IsTls { get; set; }
}
