using Mailroom.Accounts;
using Mailroom.Hosting;
using Mailroom.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Mailroom.Outbound;

/// <summary>
/// How large an email an account may send (B15): the provider's published limit, and the SIZE its
/// submission server advertises in EHLO (RFC 1870), whichever is smaller. The SIZE is learned by
/// logging in once and kept on the account; every send refreshes it.
/// </summary>
public sealed class OutboxSizeLimits(MailroomDb db, SmtpMailSender smtp, IOptions<OutboxOptions> options, ILogger<OutboxSizeLimits> logger)
{
    public async Task RequireWithinAsync(MailAccount account, long encodedSize, CancellationToken cancellationToken)
    {
        var preset = ProviderCatalog.Find(account.Provider);
        // An account that sends through Graph has no submission server to ask (its tenant turned SMTP AUTH off):
        // logging in there to learn a SIZE would fail on every email.
        var serverLimit = account.SmtpMaxSize ?? (account.SendVia == SendVia.Graph ? null : await LearnAsync(account, cancellationToken));
        (long Bytes, string Who)? limit = preset is null ? null : (preset.AttachmentLimitBytes, preset.Name);
        if (serverLimit is > 0 && (limit is null || serverLimit < limit.Value.Bytes))
        {
            limit = (serverLimit.Value, $"the mail server {account.SmtpHost}");
        }
        limit ??= (options.Value.DefaultSizeLimitBytes, "Mailroom (the server advertises no limit)");
        if (encodedSize > limit.Value.Bytes)
        {
            throw new AppProblem(StatusCodes.Status413PayloadTooLarge, OutboxProblems.TooLarge,
                $"This email is {OutboxService.Megabytes(encodedSize)} once encoded for sending; {limit.Value.Who} accepts at most {OutboxService.Megabytes(limit.Value.Bytes)}. Remove or shrink attachments, or share large files as links.");
        }
    }

    private async Task<long?> LearnAsync(MailAccount account, CancellationToken cancellationToken)
    {
        try
        {
            var size = await smtp.LearnMaxSizeAsync(account, cancellationToken);
            await db.MailAccounts.Where(a => a.Id == account.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.SmtpMaxSize, size), cancellationToken);
            return size;
        }
        catch (SendFailure e)
        {
            // Not known now: the provider's limit still holds, and the send itself will say the rest.
            OutboundLog.SizeUnknown(logger, account.Id, e.Message);
            return null;
        }
    }
}
