using Mailroom.Hosting;
using Mailroom.People;
using Mailroom.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Mailroom.Components;

/// <summary>
/// A page for signed-in members: loads the member from the database (today's role, not the
/// cookie's) before the page loads its own data.
/// </summary>
public abstract class SignedInPage : ComponentBase
{
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }
    [Inject] protected MailroomDb Db { get; set; } = default!;
    [Inject] protected NavigationManager Navigation { get; set; } = default!;

    /// <summary>The signed-in member; set before <see cref="LoadAsync"/> runs.</summary>
    protected User Me { get; private set; } = default!;

    protected bool Loaded { get; private set; }

    protected sealed override async Task OnInitializedAsync()
    {
        var state = await (AuthenticationState ?? throw new InvalidOperationException("No authentication state: is AddCascadingAuthenticationState registered?"));
        try
        {
            Me = await Db.RequireAsync(state.User);
        }
        catch (AppProblem problem) when (problem.Status == StatusCodes.Status401Unauthorized)
        {
            // A cookie outliving its account: start again from the sign-in page.
            Navigation.NavigateTo("/signin");
            return;
        }
        await LoadAsync();
        Loaded = true;
    }

    protected virtual Task LoadAsync() => Task.CompletedTask;
}
