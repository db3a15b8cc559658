using Mailroom.Accounts;
using Mailroom.Billing;
using Mailroom.Components;
using Mailroom.Components.Account;
using Mailroom.Components.Interactive;
using Mailroom.EmailApp;
using Mailroom.Groups;
using Mailroom.Hosting;
using Mailroom.Inbound;
using Mailroom.Integrations;
using Mailroom.Notifications;
using Mailroom.Outbound;
using Mailroom.People;
using Mailroom.Permissions;
using Mailroom.Posts;
using Mailroom.Previews;
using Mailroom.Spaces;
using Mailroom.Storage;
using Mailroom.Tasks;
using Mailroom.Workspaces;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Options;
using System.Text.Json.Serialization;

if (args is ["inspect", .. var inspectArgs])
{
    return InspectCommand.Run(inspectArgs, Console.Out, Console.Error);
}

// The content root is the app's own folder (appsettings.json, wwwroot), not the caller's directory;
// relative paths such as the data directory still resolve against the caller's directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase)) ? null : AppContext.BaseDirectory,
});

// ASP.NET Core reads ASPNETCORE_* variables first, below appsettings.json, so a 'urls' there
// would beat ASPNETCORE_URLS. The documented order is command line > environment > files:
// read them again just below the command line.
var sources = builder.Configuration.Sources;
var commandLine = sources.OfType<CommandLineConfigurationSource>().LastOrDefault();
sources.Insert(commandLine is null ? sources.Count : sources.IndexOf(commandLine), new EnvironmentVariablesConfigurationSource { Prefix = "ASPNETCORE_" });

var dataDirectory = Path.GetFullPath(builder.Configuration[$"{MailroomOptions.SectionName}:DataDirectory"] ?? "data");
builder.Services.AddMailroomKeyRing(builder.Configuration, dataDirectory);

// Kestrel would warn that code-defined endpoints override 'urls'; bind them ourselves instead.
builder.Services.AddSingleton<IConfigureOptions<KestrelServerOptions>>(new HttpEndpoints(builder.Configuration[WebHostDefaults.ServerUrlsKey]));
builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "");
// blazor.web.js (the interactive components' script) is a static web asset of the framework
// package: a published app has it in wwwroot, a built one finds it through the build's manifest,
// which ASP.NET Core would read in Development only. Without the manifest this does nothing.
builder.WebHost.UseStaticWebAssets();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddMailroomProblems();
builder.Services.AddMailroomForwardedHeaders();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks();
builder.Services.AddStorage(builder.Configuration);
builder.Services.AddPeople();
builder.Services.AddPermissions();
builder.Services.AddWorkspaces();
builder.Services.AddIntegrations();
builder.Services.AddSpaces();
builder.Services.AddTasks();
builder.Services.AddEmailApp();
builder.Services.AddNotifications();
builder.Services.AddPreviews();
builder.Services.AddInbound();
builder.Services.AddAccounts();
builder.Services.AddOutbound();
builder.Services.AddBilling(builder.Configuration);
// Pages are static SSR with plain forms; only components marked InteractiveServer run in a circuit.
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddInteractiveIslands();
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddHttpContextAccessor();

var app = builder.Build();

await app.Services.MigrateDatabaseAsync();

app.UseForwardedHeaders();
app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapOpenApi();
app.MapHealthChecks("/healthz");
app.MapWorkspacesApi();
app.MapPeopleApi();
app.MapAccountGrantsApi();
app.MapEmailRolePermissionsApi();
app.MapGroupsApi();
app.MapPostsApi();
app.MapIntegrationsApi();
app.MapSpacesApi();
app.MapTasksApi();
app.MapEmailAppApi();
app.MapNotificationsApi();
app.MapInboundApi();
app.MapAccountsApi();
app.MapOutboundApi();
app.MapBillingApi();
app.MapOAuthEndpoints();
// The circuit would add its own "frame-ancestors 'self'" policy (it guards the compressed WebSocket
// against framing); SecurityHeaders already sends 'none', which is stricter, on every response.
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
app.MapAccountEndpoints();

await app.RunAsync();
return 0;

public partial class Program;
