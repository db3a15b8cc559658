using System.Diagnostics;
using System.Net;
using Mailroom.Tests.Infrastructure;
using MimeKit;
using SkiaSharp;

namespace Mailroom.Tests.EndToEnd;

/// <summary>Image attachments previewed: a small re-encoded picture, never the sender's file inline.</summary>
public class ThumbnailsTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private const string Svg = "<svg xmlns='http://www.w3.org/2000/svg' width='600' height='400'><script>alert(document.cookie)</script><rect width='600' height='400' fill='red'/></svg>";

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Thumbnail_OfJpegAndPngAttachments_IsASmallImageServedInline_SvgAndTextGetNone(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Photos", newGroupName: "Photos");
        var jpeg = TestImages.Encode(1600, 1200, SKEncodedImageFormat.Jpeg);
        var png = TestImages.Encode(500, 1000, SKEncodedImageFormat.Png);
        await Smtp.SendAsync(server.SmtpPort, WithFiles(integration.Address, "Site visit",
            ("site.jpg", jpeg, new ContentType("image", "jpeg")),
            ("plan.png", png, new ContentType("image", "png")),
            ("logo.svg", System.Text.Encoding.UTF8.GetBytes(Svg), new ContentType("image", "svg+xml")),
            ("notes.txt", "Bring boots."u8.ToArray(), new ContentType("text", "plain"))));
        await server.Http.WaitUntilProcessedAsync();

        var post = Assert.Single(await server.Http.FeedAsync(integration.GroupId));
        var files = post.Attachments.ToDictionary(a => a.FileName);
        Assert.Null(files["logo.svg"].ThumbnailUrl);
        Assert.Null(files["notes.txt"].ThumbnailUrl);
        foreach (var (name, width, height) in new[] { ("site.jpg", 320, 240), ("plan.png", 160, 320) })
        {
            var url = files[name].ThumbnailUrl;
            Assert.Equal($"{files[name].DownloadUrl}/thumbnail", url);
            using var response = await server.Http.GetAsync(url);
            await Api.EnsureAsync(response);
            Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Null(response.Content.Headers.ContentDisposition);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.InRange(bytes.Length, 100, 60_000);
            using var thumbnail = SKBitmap.Decode(bytes);
            Assert.NotNull(thumbnail);
            Assert.Equal((width, height), (thumbnail.Width, thumbnail.Height));

            // The sender's own file is still only a download.
            using var original = await server.Http.GetAsync(files[name].DownloadUrl);
            Assert.Equal("attachment", original.Content.Headers.ContentDisposition?.DispositionType);
        }
        Assert.Equal(jpeg, await server.Http.GetByteArrayAsync(files["site.jpg"].DownloadUrl));

        // An SVG is never drawn, even when asked for by hand.
        using var svg = await server.Http.GetAsync($"{files["logo.svg"].DownloadUrl}/thumbnail");
        Assert.Equal(HttpStatusCode.NotFound, svg.StatusCode);
        Assert.Equal("no_preview", (await Api.ProblemAsync(svg)).Code);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Thumbnail_OfADecompressionBomb_IsRefusedFromItsHeaderInAnInstant(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database, new Dictionary<string, string> { ["Logging:LogLevel:Mailroom.Previews"] = "Information" });
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Photos", newGroupName: "Photos");
        var bomb = TestImages.PngBomb();
        Assert.True(bomb.Length < 2_000, $"the bomb is {bomb.Length} bytes");
        await Smtp.SendAsync(server.SmtpPort, WithFiles(integration.Address, "Look at this", ("huge.png", bomb, new ContentType("image", "png"))));
        await server.Http.WaitUntilProcessedAsync();
        var attachment = Assert.Single(Assert.Single(await server.Http.FeedAsync(integration.GroupId)).Attachments);
        Assert.NotNull(attachment.ThumbnailUrl);

        for (var i = 0; i < 2; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await server.Http.GetAsync(attachment.ThumbnailUrl);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("no_preview", (await Api.ProblemAsync(response)).Code);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"refused after {watch.Elapsed}");
        }
        Assert.Contains("over the budget", server.Log);
        using var health = await server.Http.GetAsync("/healthz");
        await Api.EnsureAsync(health);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Thumbnail_IsRefusedToWhoeverTheDownloadIsRefusedTo(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var integration = await server.Http.AddIntegrationAsync("Photos", newGroupName: "Photos");
        var (_, list) = await server.Http.SpaceWithListAsync();
        var jpeg = TestImages.Encode(800, 600, SKEncodedImageFormat.Jpeg);
        await Smtp.SendAsync(server.SmtpPort, WithFiles(integration.Address, "Group photo", ("team.jpg", jpeg, new ContentType("image", "jpeg"))));
        await Smtp.SendAsync(server.SmtpPort, WithFiles(list.Address!, "Broken window", ("window.jpg", jpeg, new ContentType("image", "jpeg"))));
        await server.Http.WaitUntilProcessedAsync();
        var postFile = Assert.Single(Assert.Single(await server.Http.FeedAsync(integration.GroupId)).Attachments);
        var taskFile = Assert.Single(Assert.Single(await server.Http.TasksAsync(list.Id)).Attachments);
        Assert.NotNull(taskFile.ThumbnailUrl);

        var (_, mia) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");      // not in the group
        var (_, gus) = await server.Http.AddMemberAsync("Gus Guest", "gus@client.example", "Guest");   // let into nothing
        using var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress };
        using var _ = mia;
        using var __ = gus;
        foreach (var (who, client, refusedPost, refusedTask) in new[] { ("owner", server.Http, false, false), ("member outside the group", mia, true, false), ("guest", gus, true, true), ("anonymous", anonymous, true, true) })
        {
            foreach (var (file, refused) in new[] { (postFile, refusedPost), (taskFile, refusedTask) })
            {
                using var download = await client.GetAsync(file.DownloadUrl);
                using var thumbnail = await client.GetAsync(file.ThumbnailUrl);
                Assert.True(download.StatusCode == thumbnail.StatusCode, $"{who}: download {download.StatusCode}, thumbnail {thumbnail.StatusCode} for {file.FileName}");
                Assert.True(refused != download.IsSuccessStatusCode, $"{who} got {download.StatusCode} for {file.FileName}");
            }
        }
    }

    private static MimeMessage WithFiles(string to, string subject, params (string Name, byte[] Content, ContentType Type)[] files)
    {
        var message = MailFactory.Simple(to, subject);
        var body = new BodyBuilder { TextBody = "Pictures attached." };
        foreach (var (name, content, type) in files)
        {
            body.Attachments.Add(name, content, type);
        }
        message.Body = body.ToMessageBody();
        return message;
    }
}
