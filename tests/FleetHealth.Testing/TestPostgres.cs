using System.Diagnostics;

namespace FleetHealth.Testing;

/// <summary>
/// The one PostgreSQL server of a test run. scripts/test.sh starts it and passes FLEETHEALTH_DB;
/// a bare <c>dotnet test</c> without it starts a private cluster for this process (in .local/,
/// on a free port) through scripts/pg.sh and destroys it (stopped and deleted) when the process exits.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<string> Server = new(StartOrUseConfigured, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Connection string of a superuser on the server's maintenance database.</summary>
    public static string AdminConnectionString => Server.Value;

    private static string StartOrUseConfigured()
    {
        var configured = Environment.GetEnvironmentVariable("FLEETHEALTH_DB");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        RemoveClustersOfDeadRuns();
        var dir = RepoPaths.Combine(".local", $"test-pg-{Environment.ProcessId}");
        var env = new Dictionary<string, string>
        {
            ["FLEETHEALTH_PG_DIR"] = dir,
            ["FLEETHEALTH_PG_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        RunScript("start", env);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            RunScript("destroy", env);
        };
        return RunScript("url", env).Trim();
    }

    /// <summary>
    /// A test process that was killed (or whose exit handler did not run) leaves its cluster behind;
    /// the next run stops and removes those whose process is gone.
    /// </summary>
    private static void RemoveClustersOfDeadRuns()
    {
        var local = RepoPaths.Combine(".local");
        if (!Directory.Exists(local))
        {
            return;
        }

        foreach (var dir in Directory.GetDirectories(local, "test-pg-*"))
        {
            if (int.TryParse(Path.GetFileName(dir)["test-pg-".Length..], out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                try
                {
                    RunScript("destroy", new Dictionary<string, string> { ["FLEETHEALTH_PG_DIR"] = dir });
                }
                catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
                {
                    // Another run may be removing it at the same moment; it is only disk space.
                }
            }
        }
    }

    private static string RunScript(string verb, Dictionary<string, string> env)
    {
        var start = new ProcessStartInfo("bash", [RepoPaths.Combine("scripts", "pg.sh"), verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/pg.sh {verb} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout.Result;
    }
}
