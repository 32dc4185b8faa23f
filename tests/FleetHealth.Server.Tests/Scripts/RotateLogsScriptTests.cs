using System.Diagnostics;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Scripts;

/// <summary>scripts/lib/rotate-logs.sh: scripts/run.sh keeps the logs of earlier runs, a bounded number of them.</summary>
public sealed class RotateLogsScriptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rotate-logs-").FullName;

    private string Log => Path.Combine(_dir, "server.log");

    [Fact]
    public void Each_run_keeps_the_previous_runs_logs_newest_first_and_at_most_keep_of_them()
    {
        for (var run = 1; run <= 8; run++)
        {
            Assert.Equal(0, Rotate(keep: "3"));
            File.WriteAllText(Log, $"run {run}");
        }

        Assert.Equal(["server.log", "server.log.1", "server.log.2", "server.log.3"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("run 8", File.ReadAllText(Log));
        Assert.Equal("run 7", File.ReadAllText(Log + ".1"));
        Assert.Equal("run 5", File.ReadAllText(Log + ".3"));
    }

    [Fact]
    public void A_smaller_keep_drops_what_a_larger_one_left()
    {
        for (var run = 1; run <= 6; run++)
        {
            Rotate(keep: "5");
            File.WriteAllText(Log, $"run {run}");
        }

        Assert.Equal(0, Rotate(keep: "2"));

        Assert.Equal(["server.log.1", "server.log.2"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("run 6", File.ReadAllText(Log + ".1"));
    }

    [Fact]
    public void A_keep_that_is_not_a_number_is_refused_and_nothing_moves()
    {
        File.WriteAllText(Log, "this run");

        Assert.Equal(2, Rotate(keep: "lots"));
        Assert.Equal("this run", File.ReadAllText(Log));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private int Rotate(string keep)
    {
        var start = new ProcessStartInfo("bash", ["-c", ". \"$0\" && rotate_log \"$1\" \"$2\"", RepoPaths.Combine("scripts", "lib", "rotate-logs.sh"), Log, keep])
        {
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
}
