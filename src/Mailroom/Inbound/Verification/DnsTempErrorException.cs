namespace Mailroom.Inbound.Verification;

/// <summary>A DNS question got no usable answer in time (timeout, SERVFAIL, no server): RFC 7208's "temperror".</summary>
public sealed class DnsTempErrorException(string message) : Exception(message);
