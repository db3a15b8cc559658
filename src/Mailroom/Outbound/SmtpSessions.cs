using System.Collections.Concurrent;
using Mailroom.Accounts;
using MailKit.Net.Smtp;

namespace Mailroom.Outbound;

/// <summary>
/// Logged-in SMTP connections the outbox worker keeps open while it has email to send, so that
/// several emails of one account leave over one session (a new MAIL FROM each, as RFC 5321
/// allows) instead of a connection and a login each. A session is used by one send at a time:
/// taken, used, and given back only after a send the server took; any failure closes it (the next
/// email starts clean, with a new connection). A session kept for another configuration of the
/// account (server, login, password changed) is closed rather than used. The worker closes them
/// all when it runs out of due email.
/// </summary>
public sealed class SmtpSessions(int maxIdle) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, ConcurrentBag<Session>> _idle = new();
    private int _idleCount;

    private sealed record Session(ISmtpClient Client, string Key);

    /// <summary>How many sessions are kept open now.</summary>
    public int Count => Volatile.Read(ref _idleCount);

    /// <summary>An open session of <paramref name="account"/> as it is configured now, or null.</summary>
    public ISmtpClient? Take(MailAccount account)
    {
        if (!_idle.TryGetValue(account.Id, out var bag))
        {
            return null;
        }
        var key = Key(account);
        while (bag.TryTake(out var session))
        {
            Interlocked.Decrement(ref _idleCount);
            if (session.Key == key && session.Client.IsConnected && session.Client.IsAuthenticated)
            {
                return session.Client;
            }
            _ = CloseAsync(session.Client);
        }
        return null;
    }

    /// <summary>Keeps a session the server just took an email over; closes it when enough are kept already.</summary>
    public void Return(MailAccount account, ISmtpClient client)
    {
        if (Interlocked.Increment(ref _idleCount) > maxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            _ = CloseAsync(client);
            return;
        }
        _idle.GetOrAdd(account.Id, _ => []).Add(new Session(client, Key(account)));
    }

    /// <summary>QUIT on every kept session (the server frees it at once).</summary>
    public async Task CloseAllAsync()
    {
        var closing = new List<Task>();
        foreach (var bag in _idle.Values)
        {
            while (bag.TryTake(out var session))
            {
                Interlocked.Decrement(ref _idleCount);
                closing.Add(CloseAsync(session.Client));
            }
        }
        await Task.WhenAll(closing);
    }

    public async ValueTask DisposeAsync() => await CloseAllAsync();

    /// <summary>What a session was opened with: another server, login or secret means another session.</summary>
    private static string Key(MailAccount account) =>
        $"{account.SmtpHost}\n{account.SmtpPort}\n{account.SmtpSecurity}\n{account.Username}\n{account.ProtectedSecret}";

    public static async Task CloseAsync(ISmtpClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await client.DisconnectAsync(true, budget.Token);
            }
        }
        catch (Exception)
        {
            // Closing a connection that broke or timed out: the socket goes with the client below.
        }
        finally
        {
            client.Dispose();
        }
    }
}
