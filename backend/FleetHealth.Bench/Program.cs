using FleetHealth.Bench.Ingest;

// Benchmarks print "name: value" lines; each compares against a baseline measured in the same run.
return args.FirstOrDefault() switch
{
    "ingest" => await IngestBenchmark.RunAsync(args[1..]),
    BareServer.Mode => await BareServer.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: FleetHealth.Bench ingest [--seconds N] [--connections N]");
    return 2;
}
