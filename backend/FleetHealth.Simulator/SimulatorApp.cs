using System.Globalization;

namespace FleetHealth.Simulator;

/// <summary>The command line: parse, build the transport, run until done or stopped.</summary>
internal static class SimulatorApp
{
    public const int BadArguments = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken stop)
    {
        var options = SimulatorArgs.Parse(args, out var problem, out var help, Environment.GetEnvironmentVariable(SimulatorArgs.KeyVariable));
        if (help)
        {
            await output.WriteLineAsync(SimulatorArgs.Usage);
            return 0;
        }

        if (options is null)
        {
            await error.WriteLineAsync($"error: {problem}");
            await error.WriteLineAsync("Run with --help for the options.");
            return BadArguments;
        }

        IBeatTransport transport = options.SerialDevice is { } device
            ? new SerialBeatTransport(device, options.Baud, error)
            : new HttpBeatTransport(options.Urls, options.Key, options.Batch, options.Concurrency, error);
        Simulation simulation;
        try
        {
            simulation = new Simulation(options, transport, output);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await transport.DisposeAsync();
            await error.WriteLineAsync($"error: cannot open the offline queue in '{options.QueueDir}': {e.Message}");
            return 1;
        }

        await using (simulation)
        {
            var target = options.SerialDevice ?? string.Join(", ", options.Urls);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"simulating {options.Sensors} sensors every {options.Interval.TotalSeconds:0.###}s (jitter {options.Jitter}, dropout {options.Dropout}, fault {options.Fault}, death {options.DeathRate}, seed {options.Seed}) -> {target}; queued from earlier runs: {simulation.Queued}"));
            await simulation.RunAsync(stop);
        }

        return 0;
    }
}
