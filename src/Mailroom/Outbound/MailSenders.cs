using Mailroom.Accounts;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Mailroom.Outbound;

/// <summary>
/// Picks the road an account's email leaves by (<see cref="MailAccount.SendVia"/>): SMTP submission,
/// or Microsoft Graph's sendMail with the raw MIME. <see cref="SendVia.Auto"/> sends by SMTP and, for a
/// Microsoft OAuth account whose tenant turned SMTP AUTH off (5.7.139, 5.7.3), switches the account
/// to Graph for good and sends this email through it.
/// </summary>
public sealed partial class MailSenders(SmtpMailSender smtp, GraphMailSender graph, IServiceScopeFactory scopes, ILogger<MailSenders> logger)
{
    private readonly SmtpMailSender _smtp = smtp;
    private readonly GraphMailSender _graph = graph;
    private readonly IServiceScopeFactory _scopes = scopes;
    private readonly ILogger _logger = logger;

    public IMailSender For(MailAccount account) => account.SendVia switch
    {
        SendVia.Graph => _graph,
        SendVia.Auto when GraphCapable(account) => new AutoSender(this),
        _ => _smtp,
    };

    private static bool GraphCapable(MailAccount account) => account.AuthKind == AccountAuthKind.OAuth && account.Provider == MailProvider.Outlook;

    /// <summary>The answers Microsoft gives when SMTP AUTH is off for the tenant or the mailbox.</summary>
    public static bool SmtpAuthDisabled(SendFailure failure) =>
        failure.AuthenticationRefused && (failure.Message.Contains("5.7.139", StringComparison.Ordinal) || failure.Message.Contains("5.7.3 ", StringComparison.Ordinal));

    private sealed class AutoSender(MailSenders senders) : IMailSender
    {
        public async Task<SendResult> SendAsync(MailAccount account, MimeMessage message, SmtpSessions? sessions, CancellationToken cancellationToken)
        {
            try
            {
                return await senders._smtp.SendAsync(account, message, sessions, cancellationToken);
            }
            catch (SendFailure failure) when (SmtpAuthDisabled(failure))
            {
                await using (var scope = senders._scopes.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<MailroomDb>();
                    await db.MailAccounts.Where(a => a.Id == account.Id && a.SendVia == SendVia.Auto)
                        .ExecuteUpdateAsync(s => s.SetProperty(a => a.SendVia, SendVia.Graph), cancellationToken);
                }
                account.SendVia = SendVia.Graph;
                LogSwitched(senders._logger, account.Id);
                return await senders._graph.SendAsync(account, message, sessions, cancellationToken);
            }
        }
    }

    [LoggerMessage(EventId = 3630, Level = LogLevel.Warning, Message = "Account {AccountId}: SMTP AUTH is turned off at Microsoft; its email now leaves through Microsoft Graph")]
    private static partial void LogSwitched(ILogger logger, Guid accountId);
}
