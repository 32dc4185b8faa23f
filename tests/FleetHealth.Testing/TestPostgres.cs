using System.Diagnostics;

namespace FleetHealth.Testing;

/// <summary>
/// The one PostgreSQL server of a test run. scripts/test.sh starts it and passes FLEETHEALTH_DB;
/// a bare <c>dotnet test</c> without it starts a private cluster for this process (in .local/,
/// on a free port) through scripts/pg.sh and stops and removes it when the process exits.
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

        var dir = RepoPaths.Combine(".local", $"test-pg-{Environment.ProcessId}");
        var env = new Dictionary<string, string>
        {
            ["FLEETHEALTH_PG_DIR"] = dir,
            ["FLEETHEALTH_PG_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        RunScript("start", env);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            RunScript("stop", env);
            Directory.Delete(dir, recursive: true);
        };
        return RunScript("url", env).Trim();
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
