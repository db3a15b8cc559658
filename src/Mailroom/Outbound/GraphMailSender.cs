using System.Text;
using Mailroom.Accounts;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using MimeKit;

namespace Mailroom.Outbound;

/// <summary>
/// Sends through Microsoft Graph's <c>POST /me/sendMail</c> with the raw MIME, base64 in a
/// text/plain body (Graph's "send mail in MIME format"), so Message-ID, In-Reply-To and References
/// leave as Mailroom wrote them, for a Microsoft 365 tenant that turned SMTP AUTH off. Graph keeps
/// the Sent Items copy itself.
/// </summary>
public sealed class GraphMailSender(AccountCredentials credentials, IHttpClientFactory http, IOptions<GraphOptions> options) : IMailSender
{
    public const string HttpClientName = "Mailroom.Graph";

    public Task<SendResult> SendAsync(MailAccount account, MimeMessage message, CancellationToken cancellationToken) => SendAsync(account, message, null, cancellationToken);

    /// <summary>Graph has no session to keep: <paramref name="sessions"/> is not used.</summary>
    public async Task<SendResult> SendAsync(MailAccount account, MimeMessage message, SmtpSessions? sessions, CancellationToken cancellationToken)
    {
        using var mime = new MemoryStream();
        await message.WriteToAsync(FormatOptions.Default, mime, cancellationToken);
        var body = Encoding.ASCII.GetBytes(Convert.ToBase64String(mime.GetBuffer(), 0, (int)mime.Length));
        try
        {
            await PostAsync(await TokenAsync(account, false, cancellationToken), body, cancellationToken);
        }
        catch (ODataError e) when (e.ResponseStatusCode == 401)
        {
            // A token refused before its time: refreshed once, then the answer stands.
            try
            {
                await PostAsync(await TokenAsync(account, true, cancellationToken), body, cancellationToken);
            }
            catch (ODataError again)
            {
                throw Failure(again);
            }
        }
        catch (ODataError e)
        {
            throw Failure(e);
        }
        catch (HttpRequestException e)
        {
            throw new SendFailure("network", $"Microsoft Graph could not be reached: {e.Message}", permanent: false, e);
        }
        return new SendResult(null, ProviderSavesSentCopy: true);
    }

    private async Task<string> TokenAsync(MailAccount account, bool afterRefusal, CancellationToken cancellationToken)
    {
        try
        {
            return await credentials.GraphTokenAsync(account, afterRefusal, cancellationToken);
        }
        catch (ReauthenticationRequiredException e)
        {
            throw new SendFailure(AccountProblems.AuthenticationRefused, e.Message, permanent: true, e) { AuthenticationRefused = true };
        }
    }

    private async Task PostAsync(string token, byte[] base64Mime, CancellationToken cancellationToken)
    {
        var baseUrl = options.Value.BaseUrl.TrimEnd('/');
        var client = new GraphServiceClient(http.CreateClient(HttpClientName), new BaseBearerTokenAuthenticationProvider(new FixedToken(token, new Uri(baseUrl).Host)), baseUrl);
        var request = client.Me.SendMail.ToPostRequestInformation(new Microsoft.Graph.Me.SendMail.SendMailPostRequestBody());
        // The JSON body the SDK prepared is replaced whole, its content type with it.
        request.Headers.Remove("Content-Type");
        request.SetStreamContent(new MemoryStream(base64Mime), "text/plain");
        await client.RequestAdapter.SendNoContentAsync(request, new Dictionary<string, ParsableFactory<IParsable>>
        {
            ["XXX"] = ODataError.CreateFromDiscriminatorValue,
        }, cancellationToken);
    }

    /// <summary>Graph's refusals as the outbox records them: 401 a refused login, 403 the tenant's policy (NAUTH_013), 429 and 5xx worth a retry.</summary>
    private static SendFailure Failure(ODataError e)
    {
        var code = e.Error?.Code ?? "unknown";
        var reason = $"Microsoft Graph refused the message: {e.ResponseStatusCode} {code} {e.Error?.Message}".TrimEnd();
        return e.ResponseStatusCode switch
        {
            401 => new SendFailure(AccountProblems.AuthenticationRefused, reason, permanent: true, e) { AuthenticationRefused = true },
            403 => new SendFailure(AccountProblems.MicrosoftRefused, reason, permanent: true, e),
            429 or >= 500 => new SendFailure($"graph_{e.ResponseStatusCode}", reason, permanent: false, e),
            _ => new SendFailure($"graph_{code}", reason, permanent: true, e),
        };
    }

    /// <summary>The account's Graph token, given only to Graph's own host.</summary>
    private sealed class FixedToken(string token, string host) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new([host]);

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(AllowedHostsValidator.IsUrlHostValid(uri) ? token : "");
    }
}
