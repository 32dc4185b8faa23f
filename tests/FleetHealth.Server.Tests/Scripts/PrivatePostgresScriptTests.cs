using System.Diagnostics;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.Scripts;

/// <summary>scripts/pg.sh, the private PostgreSQL of the run command and the tests.</summary>
public sealed class PrivatePostgresScriptTests : IDisposable
{
    private readonly string _dir = RepoPaths.Combine(".local", $"pg-script-test-{Guid.NewGuid():N}");
    private readonly int _port = FreePort.Next();

    [Fact]
    public async Task It_starts_on_loopback_reuses_a_running_cluster_and_stops_cleanly()
    {
        var (startCode, _, _) = Run("start");
        Assert.Equal(0, startCode);
        var pid = File.ReadLines(Path.Combine(_dir, "data", "postmaster.pid")).First();

        var (_, url, _) = Run("url");
        await using (var connection = new NpgsqlConnection(url.Trim()))
        {
            await connection.OpenAsync();
            await using var listen = new NpgsqlCommand("SHOW listen_addresses", connection);
            Assert.Equal("127.0.0.1", await listen.ExecuteScalarAsync());
        }

        var (againCode, _, againErr) = Run("start");
        Assert.Equal(0, againCode);
        Assert.Contains("reusing", againErr, StringComparison.Ordinal);
        Assert.Equal(pid, File.ReadLines(Path.Combine(_dir, "data", "postmaster.pid")).First());

        Assert.Equal(0, Run("stop").Code);
        Assert.NotEqual(0, Run("status").Code);
        Assert.False(File.Exists(Path.Combine(_dir, "data", "postmaster.pid")));
        await using var refused = new NpgsqlConnection(url.Trim() + ";Pooling=false");
        await Assert.ThrowsAsync<NpgsqlException>(() => refused.OpenAsync());
    }

    [Fact]
    public void An_unknown_verb_is_refused_with_usage()
    {
        var (code, _, stderr) = Run("explode");

        Assert.Equal(2, code);
        Assert.Contains("usage", stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Run("stop");
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private (int Code, string Stdout, string Stderr) Run(string verb)
    {
        var start = new ProcessStartInfo("bash", [RepoPaths.Combine("scripts", "pg.sh"), verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["FLEETHEALTH_PG_DIR"] = _dir;
        start.Environment["FLEETHEALTH_PG_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
