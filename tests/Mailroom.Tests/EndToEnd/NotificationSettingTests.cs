using System.Net.Http.Json;
using Mailroom.Tests.Infrastructure;

namespace Mailroom.Tests.EndToEnd;

/// <summary>The profile's "notify me about tasks I follow" setting decides what lands in each member's bell.</summary>
public class NotificationSettingTests
{
    public static TheoryData<Database> Databases => new(Database.Sqlite, Database.Postgres);

    private sealed record NotificationBody(Guid Id, Guid TaskId, string Text);

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task EmailComment_NotifiesFollowers_AsEachOnesSettingSays(Database database)
    {
        await using var server = await MailroomServer.StartAsync(database);
        await server.SetupAsync();
        var (_, list) = await server.Http.SpaceWithListAsync();
        var (_, all) = await server.Http.AddMemberAsync("Mia Member", "mia@acme.test", "Member");
        var (max, assigned) = await server.Http.AddMemberAsync("Max Member", "max@acme.test", "Member");
        var (_, none) = await server.Http.AddMemberAsync("Nia Quiet", "nia@acme.test", "Member");
        using var _ = all;
        using var __ = assigned;
        using var ___ = none;
        var his = await server.Http.CreateTaskAsync(list.Id, "Office move");
        var notHis = await server.Http.CreateTaskAsync(list.Id, "Printer order");
        await Api.EnsureAsync(await server.Http.PutAsJsonAsync($"/api/tasks/{his.Id}/assignees", new { userIds = new[] { max.Id } }));
        foreach (var task in new[] { his, notHis })
        {
            foreach (var member in new[] { all, assigned, none })
            {
                using var follow = await member.PutAsync($"/api/tasks/{task.Id}/follow", null);
                await Api.EnsureAsync(follow);
            }
        }
        await Api.EnsureAsync(await assigned.PatchAsJsonAsync("/api/me/profile", new { taskNotifications = "Assigned" }));
        await Api.EnsureAsync(await none.PatchAsJsonAsync("/api/me/profile", new { taskNotifications = "None" }));

        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(his.Address!, "Movers", "Friday.", from: "movers@vans.example"));
        await Smtp.SendAsync(server.SmtpPort, MailFactory.Simple(notHis.Address!, "Toner", "Monday.", from: "shop@printers.example"));
        await server.Http.WaitUntilProcessedAsync();

        Assert.Equal(2, (await all.GetAsync<List<NotificationBody>>("/api/notifications")).Count);
        Assert.Equal(his.Id, Assert.Single(await assigned.GetAsync<List<NotificationBody>>("/api/notifications")).TaskId);
        Assert.Empty(await none.GetAsync<List<NotificationBody>>("/api/notifications"));
    }
}
