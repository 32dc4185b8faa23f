using System.Diagnostics;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Serial;

/// <summary>
/// A pseudo-terminal pair from socat: bytes written to <see cref="Writer"/> come out of
/// <see cref="Reader"/>, like the two ends of a null-modem cable. Without socat the test fails
/// (CI installs it).
/// </summary>
internal sealed class SocatPty : IDisposable
{
    private Process? _process;

    public SocatPty()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"fh-pty-{Guid.NewGuid():N}"[..20]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>The end the server reads.</summary>
    public string Reader => Path.Combine(Directory, "reader");

    /// <summary>The end the test (the "sensor") writes.</summary>
    public string Writer => Path.Combine(Directory, "writer");

    public static string Executable { get; } = Find();

    /// <summary>Starts socat and waits until both ends exist.</summary>
    public async Task StartAsync()
    {
        Assert.Null(_process);
        var start = new ProcessStartInfo(Executable, ["-d", "-d", $"pty,raw,echo=0,link={Reader}", $"pty,raw,echo=0,link={Writer}"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        await Eventually.Until(() => Task.FromResult(File.Exists(Reader) && File.Exists(Writer)), ok => ok, TimeSpan.FromSeconds(10), "socat creates both pty links");
    }

    /// <summary>Kills socat (the "cable is pulled") and removes its links.</summary>
    public void Stop()
    {
        if (_process is null)
        {
            return;
        }

        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
        File.Delete(Reader);
        File.Delete(Writer);
    }

    public void Dispose()
    {
        Stop();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static string Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "socat");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("socat is not installed (it makes the pseudo-terminal pairs of the serial tests): apt-get install -y socat");
    }
}
