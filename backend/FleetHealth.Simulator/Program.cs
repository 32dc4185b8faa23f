using System.Runtime.InteropServices;

namespace FleetHealth.Simulator;

/// <summary>Entry point: Ctrl-C and SIGTERM stop the run cleanly (in-flight beats are queued, not lost).</summary>
internal static class SimulatorProgram
{
    public static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        return await SimulatorApp.RunAsync(args, Console.Out, Console.Error, stop.Token);
    }
}
