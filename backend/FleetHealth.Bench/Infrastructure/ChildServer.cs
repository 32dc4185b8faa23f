using System.Diagnostics;

namespace FleetHealth.Bench.Infrastructure;

/// <summary>A server in a process of its own, so that it never shares a process with the load generator.</summary>
internal sealed class ChildServer : IAsyncDisposable
{
    private readonly Process _process;

    private ChildServer(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public static async Task<ChildServer> StartAsync(string dll, IEnumerable<string> args, IDictionary<string, string> env, int port, string readyPath)
    {
        var process = Start(dll, args, env);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"  [server] {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ChildServer(process, new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await client.GetAsync(readyPath)).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new InvalidOperationException($"{Path.GetFileName(dll)} did not become ready on port {port}.");
    }

    /// <summary>Runs one of the dll's commands (create-ingest-key, create-admin, …) to completion; returns the value of its <c>name: value</c> output line.</summary>
    public static async Task<string> RunCommandAsync(string dll, IEnumerable<string> args, IDictionary<string, string> env, string field)
    {
        using var process = Start(dll, args, env);
        var error = process.StandardError.ReadToEndAsync();
        var lines = (await process.StandardOutput.ReadToEndAsync()).Split('\n');
        await process.WaitForExitAsync();
        return lines.FirstOrDefault(l => l.StartsWith(field + ": ", StringComparison.Ordinal))?[(field.Length + 2)..].TrimEnd()
            ?? throw new InvalidOperationException($"{string.Join(' ', args)} exited with {process.ExitCode} and no '{field}:' line: {await error}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static Process Start(string dll, IEnumerable<string> args, IDictionary<string, string> env)
    {
        var start = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }
}
