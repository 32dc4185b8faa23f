using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace FleetHealth.Testing;

/// <summary>
/// A real FleetHealth server in a child process on a loopback port, as an operator runs it
/// (the built FleetHealth.Server.dll of the same configuration as the tests). Kill() is SIGKILL.
/// Credentials come the way an operator makes them: the first admin from the server's
/// <c>create-admin</c> command, everything else through the admin API.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>The session cookie's name (the server's SessionCookie.Name).</summary>
    public const string SessionCookieName = "fh_session";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _connectionString;
    private readonly SemaphoreSlim _adminLock = new(1, 1);
    private readonly List<HttpClient> _clients = [];
    private HttpClient? _admin;
    private string? _adminSession;
    private HttpClient? _trusted;

    private ServerProcess(Process process, int port, string connectionString)
    {
        _process = process;
        _connectionString = connectionString;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>An anonymous client (health, readiness, refusals).</summary>
    public HttpClient Client { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The server's process id (it names the node in what it claims, e.g. notification deliveries).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Everything the server wrote to stdout and stderr so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server and waits until <c>/healthz</c> answers.</summary>
    public static async Task<ServerProcess> StartAsync(string connectionString, IDictionary<string, string>? settings = null, int? port = null)
    {
        var bin = ServerBinFolder();
        var chosenPort = port ?? FreePort.Next();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(bin, "FleetHealth.Server.dll"), "--contentRoot", bin, "--urls", $"http://127.0.0.1:{chosenPort}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = bin,
        };
        start.Environment["Database__ConnectionString"] = connectionString;
        // Akka.Remote's port, chosen here rather than by the OS at bind time: an ephemeral port the
        // OS hands Akka can be the HTTP port just probed and released, and then Kestrel cannot bind.
        start.Environment["Fleet__Port"] = OtherFreePort(chosenPort).ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process, chosenPort, connectionString);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await Eventually.Until(
                async () => server.HasExited || await server.AnswersAsync("/healthz"),
                up => up,
                TimeSpan.FromSeconds(30),
                "the server process answers /healthz");
            if (server.HasExited)
            {
                await process.WaitForExitAsync(); // until its output is read to the end, too
                throw new InvalidOperationException($"Server exited with {process.ExitCode}:\n{server.Output}");
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>True once GET <paramref name="path"/> answers 2xx.</summary>
    public async Task<bool> AnswersAsync(string path)
    {
        try
        {
            using var response = await Client.GetAsync(path);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>
    /// A client signed in as an admin (made once per server by the <c>create-admin</c> command; the
    /// command migrates the database itself, so this works before the server is ready).
    /// </summary>
    public async Task<HttpClient> AdminClientAsync()
    {
        await _adminLock.WaitAsync();
        try
        {
            if (_admin is null)
            {
                var user = $"admin-{Guid.NewGuid():N}"[..20];
                var output = await RunCommandAsync(_connectionString, "create-admin", user);
                _adminSession = await SignInAsync(user, Field(output, "admin-password"));
                _admin = CreateClient(session: _adminSession);
            }

            return _admin;
        }
        finally
        {
            _adminLock.Release();
        }
    }

    /// <summary>
    /// For tests about something else than access: a client that is both an admin and a sensor (an
    /// all-sensor ingest key), made on first use and the same one afterwards.
    /// </summary>
    public async Task<HttpClient> TrustedClientAsync()
    {
        var admin = await AdminClientAsync();
        await _adminLock.WaitAsync();
        try
        {
            if (_trusted is null)
            {
                using var created = await admin.PostAsJsonAsync("/api/v1/ingest-keys", new { name = "tests (trusted)", tag = (string?)null });
                await EnsureAsync(created, HttpStatusCode.Created, "creating an ingest key");
                using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
                _trusted = CreateClient(session: _adminSession, ingestKey: body.RootElement.GetProperty("key").GetString());
            }

            return _trusted;
        }
        finally
        {
            _adminLock.Release();
        }
    }

    /// <summary>A client signed in as a new operator of <paramref name="role"/> (viewer, operator, admin), made through the admin API.</summary>
    public async Task<HttpClient> ClientAsAsync(string role) => CreateClient(session: await SessionAsAsync(role));

    /// <summary>The session token of a new operator of <paramref name="role"/> (for websockets and cookie jars).</summary>
    public async Task<string> SessionAsAsync(string role)
    {
        var admin = await AdminClientAsync();
        var user = $"{role}-{Guid.NewGuid():N}"[..20];
        const string password = "correct horse battery staple";
        using var created = await admin.PostAsJsonAsync("/api/v1/operators", new { user, role, password });
        await EnsureAsync(created, HttpStatusCode.Created, "creating an operator");
        return await SignInAsync(user, password);
    }

    /// <summary>A new ingest key (all sensors, or only those tagged <paramref name="tag"/>), made through the admin API.</summary>
    public async Task<(string Key, string KeyId)> CreateIngestKeyAsync(string? tag = null)
    {
        var admin = await AdminClientAsync();
        using var created = await admin.PostAsJsonAsync("/api/v1/ingest-keys", new { name = "tests", tag });
        await EnsureAsync(created, HttpStatusCode.Created, "creating an ingest key");
        using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("key").GetString()!, body.RootElement.GetProperty("keyId").GetString()!);
    }

    /// <summary>A sensor's client: a new all-sensor ingest key (or one limited to <paramref name="tag"/>).</summary>
    public async Task<HttpClient> IngestClientAsync(string? tag = null) => CreateClient(ingestKey: (await CreateIngestKeyAsync(tag)).Key);

    /// <summary>Signs in over HTTP; returns the session token of the cookie.</summary>
    public async Task<string> SignInAsync(string user, string password)
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/auth/login", new { user, password });
        await EnsureAsync(response, HttpStatusCode.OK, $"signing in as {user}");
        return response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])
            .Single(c => c.StartsWith(SessionCookieName + "=", StringComparison.Ordinal))[(SessionCookieName.Length + 1)..];
    }

    /// <summary>A client that sends the session cookie and/or the ingest key on every request; disposed with the server.</summary>
    public HttpClient CreateClient(string? session = null, string? ingestKey = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (session is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", $"{SessionCookieName}={session}");
        }

        if (ingestKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ingestKey);
        }

        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>Runs a server command (<c>create-admin</c>, <c>create-ingest-key</c>, …) against a database; returns its standard output.</summary>
    public static async Task<string> RunCommandAsync(string connectionString, params string[] args)
    {
        var (code, output, error) = await RunCommandRawAsync(connectionString, args);
        return code == 0 ? output : throw new InvalidOperationException($"{string.Join(' ', args)} exited with {code}:\n{output}\n{error}");
    }

    /// <summary>Runs a server command; returns its exit code and both outputs, whatever they are.</summary>
    public static async Task<(int Code, string Output, string Error)> RunCommandRawAsync(string connectionString, params string[] args)
    {
        var bin = ServerBinFolder();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(bin, "FleetHealth.Server.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = bin,
        };
        start.Environment["Database__ConnectionString"] = connectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output, await error);
    }

    /// <summary>The value of a <c>name: value</c> line of a command's output.</summary>
    public static string Field(string output, string name) =>
        output.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(name + ": ", StringComparison.Ordinal))?[(name.Length + 2)..]
        ?? throw new InvalidOperationException($"No '{name}:' line in:\n{output}");

    private static int OtherFreePort(int taken)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = FreePort.Next();
            if (port != taken)
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free port other than {taken}.");
    }

    /// <summary>SIGKILL: no shutdown code runs, as when a node crashes.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM: the host shuts down gracefully (Akka's coordinated shutdown hands the shards back).</summary>
    public Task TerminateAsync() => SignalAsync("TERM");

    /// <summary>Waits for the process to exit; false when it is still running after <paramref name="within"/>.</summary>
    public async Task<bool> ExitedWithinAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGSTOP: the process freezes with its connections open, as in a long GC pause or a frozen VM.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT after <see cref="PauseAsync"/>.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {_process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}") { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} failed with {kill.ExitCode}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        Client.Dispose();
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }

        _adminLock.Dispose();
        _process.Dispose();
    }

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>backend/FleetHealth.Server/bin/{Debug|Release}/net10.0, matching how the tests were built.</summary>
    private static string ServerBinFolder()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent!.Name;
        var bin = RepoPaths.Combine("backend", "FleetHealth.Server", "bin", configuration, testBin.Name);
        return File.Exists(Path.Combine(bin, "FleetHealth.Server.dll"))
            ? bin
            : throw new InvalidOperationException($"Build the server first: no FleetHealth.Server.dll in {bin}.");
    }
}
