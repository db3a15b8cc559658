using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Mailroom.Tests.Infrastructure;

/// <summary>
/// The real server, as a user runs it: <c>dotnet Mailroom.dll</c> in a child process, with its own
/// data directory, HTTP and SMTP ports, on SQLite or PostgreSQL. It can be killed (SIGKILL) and
/// started again on the same data.
/// </summary>
public sealed class MailroomServer : IAsyncDisposable
{
    private readonly Dictionary<string, string> _settings;
    private readonly StringBuilder _log = new();
    private readonly Dictionary<string, List<string>> _collected = [];
    private Process? _process;

    public MailroomServer(Database database, IDictionary<string, string>? settings = null)
    {
        Database = database;
        DataDirectory = Directory.CreateTempSubdirectory("mailroom-test-").FullName;
        HttpPort = FreePort.Next();
        SmtpPort = FreePort.Next();
        _settings = new Dictionary<string, string>
        {
            ["Mailroom:DataDirectory"] = DataDirectory,
            ["urls"] = $"http://127.0.0.1:{HttpPort}",
            ["Mailroom:Smtp:Port"] = SmtpPort.ToString(),
            ["Mailroom:Inbound:PollInterval"] = "00:00:00.500",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
            // Test clients send from 127.0.0.1 as an internal app would, so a From there is believed;
            // sender-verification tests replace this with a network no client uses.
            ["Mailroom:Verification:InternalNetworks:0"] = "127.0.0.1/32",
        };
        if (database == Database.Postgres)
        {
            _settings["Mailroom:Database:Provider"] = "postgres";
            _settings["ConnectionStrings:Mailroom"] = Postgres.NewDatabase();
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _settings[key] = value;
        }
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Variables for the server's environment (the test's own <c>ASPNETCORE_URLS</c> is never inherited).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>False: the server gets no <c>--urls</c> and must find <see cref="HttpPort"/> elsewhere (<c>ASPNETCORE_URLS</c>), as in a container.</summary>
    public bool UrlsOnCommandLine { get; set; } = true;

    /// <summary>The folder with appsettings.json; the test's own output (a copy of the app's) unless set.</summary>
    public string ContentRoot { get; set; } = AppContext.BaseDirectory;

    /// <summary>How long <see cref="StartAsync()"/> waits for /healthz (a benchmark on a crowded machine may need more).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public Database Database { get; }
    public string DataDirectory { get; }
    public int HttpPort { get; }
    public int SmtpPort { get; }
    public HttpClient Http { get; }
    /// <summary>The settings it runs with (data directory, database provider and connection string...).</summary>
    public IReadOnlyDictionary<string, string> Settings => _settings;
    public string MailDomain => _settings.GetValueOrDefault("Mailroom:MailDomain", "mailroom.localhost");
    public string Log { get { lock (_log) { return _log.ToString(); } } }

    /// <summary>
    /// From now on, every log line containing <paramref name="text"/> is kept apart, all of them
    /// (<see cref="Log"/> keeps only its first 200 KB, and these lines are left out of it): for a
    /// test that counts what each of several servers did.
    /// </summary>
    public void Collect(string text)
    {
        lock (_log)
        {
            _collected.TryAdd(text, []);
        }
    }

    /// <summary>The lines collected for <paramref name="text"/> (see <see cref="Collect"/>).</summary>
    public IReadOnlyList<string> Collected(string text)
    {
        lock (_log)
        {
            return _collected[text].ToList();
        }
    }

    /// <summary>The server process, for what only the operating system can tell (its memory, in /proc).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The server is not running.");

    public static async Task<MailroomServer> StartAsync(Database database, IDictionary<string, string>? settings = null)
    {
        var server = new MailroomServer(database, settings);
        try
        {
            await server.StartAsync();
        }
        catch
        {
            // Not healthy in time (or exited): the process and its data directory go, not left running.
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    public async Task StartAsync()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Mailroom.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--contentRoot");
        info.ArgumentList.Add(ContentRoot);
        foreach (var (key, value) in _settings)
        {
            if (UrlsOnCommandLine || key != "urls")
            {
                info.ArgumentList.Add($"--{key}={value}");
            }
        }
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (key, value) in Environment)
        {
            info.Environment[key] = value;
        }
        _process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the server.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                // Without a timeout, WaitForExit also waits for the redirected output to be read to
                // its end, so the log holds the reason the server stopped (e.g. a setting's name).
                _process.WaitForExit();
                throw new InvalidOperationException($"The server exited with {_process.ExitCode} while starting:\n{Log}");
            }
            try
            {
                using var response = await Http.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The server did not become healthy in {StartTimeout.TotalSeconds:0} s:\n{Log}");
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown code runs.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>Sets the workspace up through the API and authenticates <see cref="Http"/> as its owner.</summary>
    public async Task<string> SetupAsync(string workspaceName = "Acme", string email = "owner@acme.test", string password = "correct horse battery")
    {
        var response = await Http.PostAsJsonAsync("/api/setup", new { workspaceName, ownerName = "Olivia Owner", email, password });
        await Api.EnsureAsync(response);
        var body = await response.Content.ReadFromJsonAsync<Api.SetupResponse>();
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body!.Token);
        return body.Token;
    }

    /// <summary>
    /// Puts the workspace on <paramref name="planId"/> for a test's arrangement, whatever the
    /// server's payment processor: it writes the workspace's plan straight into the server's
    /// database, as an operator moving a customer would (in the app the plan changes through
    /// billing, charged; tests about that use <c>POST /api/billing/plan</c> directly). The server
    /// reads the plan from the database on every request, so it holds at once.
    /// </summary>
    public async Task UsePlanAsync(string planId)
    {
        var catalog = new ConfigurationBuilder().AddJsonFile(Path.Combine(ContentRoot, "appsettings.json"))
            .AddInMemoryCollection(_settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build()
            .GetSection("Mailroom:Plans:Catalog").GetChildren().Select(p => p["Id"]).ToList();
        if (!catalog.Contains(planId, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"There is no plan '{planId}' in the catalog ({string.Join(", ", catalog)}).", nameof(planId));
        }
        await using System.Data.Common.DbConnection connection = Database == Database.Postgres
            ? new Npgsql.NpgsqlConnection(_settings["ConnectionStrings:Mailroom"])
            : new Microsoft.Data.Sqlite.SqliteConnection(_settings.TryGetValue("ConnectionStrings:Mailroom", out var sqlite) && sqlite.Length > 0
                ? sqlite
                : $"Data Source={Path.Combine(DataDirectory, "mailroom.db")};Default Timeout=60");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE \"Workspaces\" SET \"PlanId\" = @plan";
        var parameter = command.CreateParameter();
        (parameter.ParameterName, parameter.Value) = ("plan", planId);
        command.Parameters.Add(parameter);
        if (await command.ExecuteNonQueryAsync() != 1)
        {
            throw new InvalidOperationException("UsePlanAsync needs the workspace set up first (SetupAsync).");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            foreach (var (text, lines) in _collected)
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    lines.Add(line);
                    return;
                }
            }
            if (_log.Length < 200_000)
            {
                _log.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        Http.Dispose();
        await Task.Yield();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
