using Mailroom.People;
using Mailroom.Storage;
using Microsoft.AspNetCore.Components.Authorization;

namespace Mailroom.Components.Interactive;

/// <summary>
/// How an interactive component reaches the services. A circuit lives as long as the browser tab,
/// so it must not hold one MailroomDb (stale entities, a change tracker that grows) nor the member
/// it loaded at the start (an admin may since have changed their role or deactivated them). Each
/// operation gets its own DI scope and reloads the member; the services decide as for a page.
/// </summary>
public sealed class MemberScopes(IServiceScopeFactory scopes, AuthenticationStateProvider authentication)
{
    public async Task<T> RunAsync<T>(Func<User, IServiceProvider, Task<T>> operation)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        await using var scope = scopes.CreateAsyncScope();
        var me = await scope.ServiceProvider.GetRequiredService<MailroomDb>().RequireAsync(state.User);
        return await operation(me, scope.ServiceProvider);
    }
}
