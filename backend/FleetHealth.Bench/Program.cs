using FleetHealth.Bench;

// Benchmarks are commands, not timed tests: `dotnet run -c Release --project backend/FleetHealth.Bench -- <mode>`.
// Each mode prints `name: value` lines. Add a mode by adding a case (e.g. "ingest").
var mode = args.Length > 0 ? args[0] : "";
switch (mode)
{
    case "runtime":
        await RuntimeBenchmark.RunAsync(args[1..]);
        return 0;
    default:
        await Console.Error.WriteLineAsync("usage: FleetHealth.Bench runtime");
        return 2;
}
