using System.Diagnostics;
using System.Text;

namespace FleetHealth.Testing;

/// <summary>
/// A real FleetHealth server in a child process on a loopback port, as an operator runs it
/// (the built FleetHealth.Server.dll of the same configuration as the tests). Kill() is SIGKILL.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public bool HasExited => _process.HasExited;

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
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process, chosenPort);
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

    /// <summary>SIGKILL: no shutdown code runs, as when a node crashes.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        Client.Dispose();
        _process.Dispose();
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
