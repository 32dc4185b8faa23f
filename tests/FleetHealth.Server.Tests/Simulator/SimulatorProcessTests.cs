using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Simulator;

/// <summary>The simulator as the run command starts it: a process, stopped by a signal.</summary>
public sealed partial class SimulatorProcessTests : IDisposable
{
    private readonly string _queueDir = Path.Combine(Path.GetTempPath(), $"fh-simp-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_queueDir))
        {
            Directory.Delete(_queueDir, recursive: true);
        }
    }

    [Fact]
    public async Task Sigterm_stops_the_simulator_cleanly_with_every_unsent_beat_kept_in_the_queue()
    {
        var port = FreePort.Next();
        using var process = Start("--url", $"http://127.0.0.1:{port}", "--sensors", "20", "--interval", "100ms", "--report", "200ms", "--queue-dir", _queueDir);
        var output = new StringWriterWithLock();
        process.OutputDataReceived += (_, e) => output.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.Until(() => Task.FromResult(output.Text), t => QueuedRegex().Matches(t).Any(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > 20), TimeSpan.FromSeconds(20), "beats are queued while no server listens");

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(0, process.ExitCode);
        var final = output.Text.Split('\n').Single(l => l.EndsWith("(final)", StringComparison.Ordinal));
        var queued = int.Parse(QueuedRegex().Match(final).Groups[1].Value, CultureInfo.InvariantCulture);
        var sent = int.Parse(SentRegex().Match(final).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(sent, queued);
        Assert.Equal(queued, File.ReadAllLines(Path.Combine(_queueDir, "queue.jsonl")).Length);
    }

    [Fact]
    public async Task Bad_arguments_make_the_process_exit_with_code_2()
    {
        using var process = Start("--url", "http://127.0.0.1:1", "--sensors", "0");
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("--sensors", await stderr, StringComparison.Ordinal);
    }

    private static Process Start(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "FleetHealth.Simulator.dll");
        var start = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return Process.Start(start)!;
    }

    [GeneratedRegex(@"queued=(\d+)")]
    private static partial Regex QueuedRegex();

    [GeneratedRegex(@"sent=(\d+)")]
    private static partial Regex SentRegex();

    private sealed class StringWriterWithLock
    {
        private readonly Lock _lock = new();
        private readonly System.Text.StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_lock)
                {
                    return _text.ToString();
                }
            }
        }

        public void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lock)
            {
                _text.Append(line).Append('\n');
            }
        }
    }
}
