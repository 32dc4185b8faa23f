using System.Diagnostics;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.Scripts;

/// <summary>scripts/pg.sh, the private PostgreSQL of the run command and the tests (bash, so not on Windows).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
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
    public async Task It_runs_from_a_checkout_inside_a_folder_only_its_owner_may_enter()
    {
        // The scripts as a clone in root's home or a mktemp -d folder has them: 0700 above the repo.
        var owner = Directory.CreateTempSubdirectory("fleethealth-private-");
        try
        {
            File.SetUnixFileMode(owner.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var scripts = Directory.CreateDirectory(Path.Combine(owner.FullName, "repo", "scripts"));
            File.Copy(RepoPaths.Combine("scripts", "pg.sh"), Path.Combine(scripts.FullName, "pg.sh"));
            var script = Path.Combine(scripts.FullName, "pg.sh");
            var env = new Dictionary<string, string?> { ["FLEETHEALTH_PG_DIR"] = null };

            var (startCode, _, startErr) = Run("start", script, env);
            Assert.True(startCode == 0, startErr);
            Assert.Equal(0, Run("createdb", script, env, "fleethealth").Code);
            var (_, url, _) = Run("url", script, env, "fleethealth");
            await using (var connection = new NpgsqlConnection(url.Trim() + ";Pooling=false"))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand("CREATE TABLE t (x int); INSERT INTO t VALUES (1); SELECT count(*) FROM t", connection);
                Assert.Equal(1L, await create.ExecuteScalarAsync());
            }

            // Nothing was opened to other users on the way.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(owner.FullName));
            var cluster = Path.Combine(owner.FullName, "repo", ".local", "pg");
            var realCluster = new DirectoryInfo(cluster).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? cluster;

            Assert.Equal(0, Run("destroy", script, env).Code);
            Assert.False(Directory.Exists(realCluster));
            Assert.False(Path.Exists(cluster));
        }
        finally
        {
            owner.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_unknown_verb_is_refused_with_usage()
    {
        var (code, _, stderr) = Run("explode");

        Assert.Equal(2, code);
        Assert.Contains("usage", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Run("destroy");

    private (int Code, string Stdout, string Stderr) Run(string verb) =>
        Run(verb, RepoPaths.Combine("scripts", "pg.sh"), new Dictionary<string, string?> { ["FLEETHEALTH_PG_DIR"] = _dir });

    private (int Code, string Stdout, string Stderr) Run(string verb, string script, Dictionary<string, string?> env, params string[] args)
    {
        var start = new ProcessStartInfo("bash", [script, verb, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        start.Environment["FLEETHEALTH_PG_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
