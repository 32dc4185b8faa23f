using System.Runtime.InteropServices;
using FleetHealth.Simulator;

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
