using FleetHealth.Simulator;

namespace FleetHealth.Server.Tests.Simulator;

public class SimulatorArgsTests
{
    [Fact]
    public void The_run_commands_flags_parse()
    {
        var o = SimulatorArgs.Parse(["--url", "http://127.0.0.1:8080", "--sensors", "300", "--interval", "10s", "--queue-dir", ".local/sim-queue", "--key", "k1"], out var error, out _);
        Assert.Null(error);
        Assert.Equal(300, o!.Sensors);
        Assert.Equal(TimeSpan.FromSeconds(10), o.Interval);
        Assert.Equal(".local/sim-queue", o.QueueDir);
        Assert.Equal("k1", o.Key);
        Assert.Equal(0, o.Batch);
    }

    [Fact]
    public void The_ingest_key_comes_from_the_environment_unless_the_command_line_gives_one()
    {
        var fromEnvironment = SimulatorArgs.Parse(["--url", "http://x"], out _, out _, environmentKey: "fhk-env");
        var fromArgs = SimulatorArgs.Parse(["--url", "http://x", "--key", "fhk-arg"], out _, out _, environmentKey: "fhk-env");
        var serial = SimulatorArgs.Parse(["--serial", "/dev/pts/9"], out var serialError, out _, environmentKey: "fhk-env");
        var bad = SimulatorArgs.Parse(["--url", "http://x"], out var badError, out _, environmentKey: "two words");

        Assert.Equal("fhk-env", fromEnvironment!.Key);
        Assert.Equal("fhk-arg", fromArgs!.Key);
        Assert.Null(serialError);
        Assert.Null(serial!.Key);
        Assert.Null(bad);
        Assert.Contains(SimulatorArgs.KeyVariable, badError, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_servers_are_given_as_a_comma_separated_list()
    {
        var o = SimulatorArgs.Parse(["--url", "http://node1:8080,http://node2:8080, http://node3:8080"], out var error, out _);

        Assert.Null(error);
        Assert.Equal(["http://node1:8080/", "http://node2:8080/", "http://node3:8080/"], o!.Urls.Select(u => u.ToString()));
        Assert.Equal(o.Urls[0], o.Url);
    }

    [Theory]
    [InlineData("--interval=250ms --jitter 0.5 --dropout 0.02 --fault=0.01 --death-rate 0.001 --seed 7 --batch 100 --duration 1m")]
    [InlineData("--serial /dev/pts/9 --baud 9600 --sensors 100000")]
    public void Every_documented_option_parses(string line)
    {
        var args = line.Split(' ');
        if (!line.Contains("--serial", StringComparison.Ordinal))
        {
            args = ["--url", "http://localhost:1", .. args];
        }

        Assert.NotNull(SimulatorArgs.Parse(args, out var error, out _));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("--sensors 10", "--url")]
    [InlineData("--url ftp://x --sensors 10", "--url")]
    [InlineData("--url http://x,nowhere --sensors 10", "'nowhere'")]
    [InlineData("--url http://x --sensors 0", "--sensors")]
    [InlineData("--url http://x --sensors 100001", "--sensors")]
    [InlineData("--url http://x --interval soon", "--interval")]
    [InlineData("--url http://x --interval 1ms", "--interval")]
    [InlineData("--url http://x --jitter 2", "--jitter")]
    [InlineData("--url http://x --dropout -0.1", "--dropout")]
    [InlineData("--url http://x --batch 0", "--batch")]
    [InlineData("--url http://x --prefix bad/", "--prefix")]
    [InlineData("--url http://x --serial /dev/x", "not both")]
    [InlineData("--serial /dev/x --baud 1234", "--baud")]
    [InlineData("--url http://x --frobnicate 1", "Unknown option")]
    [InlineData("--url http://x --sensors", "needs a value")]
    public async Task Bad_arguments_exit_with_code_2_and_a_clear_message(string line, string named)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await SimulatorApp.RunAsync(line.Split(' '), output, error, CancellationToken.None);

        Assert.Equal(SimulatorApp.BadArguments, code);
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("250ms", 250)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5", 1_500)]
    public void Durations_take_units(string text, int ms)
    {
        Assert.True(SimulatorArgs.TryParseDuration(text, out var d));
        Assert.Equal(TimeSpan.FromMilliseconds(ms), d);
    }

    [Fact]
    public void A_rerun_starts_its_sequences_above_anything_the_previous_run_could_have_sent()
    {
        var options = SimulatorArgs.Parse(["--url", "http://x", "--interval", "10s", "--jitter", "0.2"], out _, out _)!;
        var first = DateTimeOffset.UnixEpoch.AddDays(20_000);
        var firstStart = VirtualFleet.DefaultSequenceStart(options, first);

        // The fastest possible run: every beat after the shortest interval, for one hour.
        var beats = (long)(TimeSpan.FromHours(1) / (options.Interval * (1 - options.Jitter)));
        var highestUsed = firstStart + beats - 1;

        Assert.True(VirtualFleet.DefaultSequenceStart(options, first.AddHours(1)) > highestUsed);
    }
}
