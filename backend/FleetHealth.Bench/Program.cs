using FleetHealth.Bench;
using FleetHealth.Bench.Ingest;
using FleetHealth.Bench.Notifications;
using FleetHealth.Bench.Projection;

// Benchmarks are commands, not timed tests: `dotnet run -c Release --project backend/FleetHealth.Bench -- <mode>`.
// Each mode prints `name: value` lines, with a baseline measured in the same run.
switch (args.FirstOrDefault())
{
    case "journal":
        return await JournalBenchmark.RunAsync(args[1..]);
    case "memory":
        return await MemoryBenchmark.RunAsync(args[1..]);
    case "projection":
        return await ProjectionBenchmark.RunAsync(args[1..]);
    case "ingest":
        return await IngestBenchmark.RunAsync(args[1..]);
    case "notifications":
        return await NotificationBenchmark.RunAsync(args[1..]);
    case BareServer.Mode:
        return await BareServer.RunAsync(args[1..]);
    default:
        await Console.Error.WriteLineAsync("usage: FleetHealth.Bench memory [--sensors N] [--workstation-gc] [--index-only] | ingest [--seconds N] [--connections N] [--gateways N] [--warmup S] | journal [--actors N] [--events N] [--fence fenced|unfenced|none] [--stores batched|plugin] | projection [--rate N] [--seconds N] [--warmup S] [--sensors N] [--feed-only] [--query-batch N] [--query-interval-ms N] | notifications [--sensors N] [--samples N] [--resident N] [--no-server]");
        return 2;
}
