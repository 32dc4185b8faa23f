using FleetHealth.Database;
using FleetHealth.Server.Hosting;

namespace FleetHealth.Server.IngestKeys;

/// <summary>
/// <c>FleetHealth.Server create-ingest-key &lt;name&gt; [--tag T]</c>: a key for sensors, without an
/// admin session (bootstrap, scripts). Prints <c>ingest-key: fhk_…</c> (shown this once) and
/// <c>ingest-key-id: …</c>. Running nodes learn of it through the table's notification.
/// </summary>
public static class CreateIngestKeyCommand
{
    public const string Name = "create-ingest-key";
    private const string Usage = "create-ingest-key <name> [--tag T]";

    public static async Task<int> RunAsync(IServiceProvider services, string? name, string? tag)
    {
        var errors = IngestKeyApi.Validate(new NewIngestKeyBody(name, tag));
        if (errors.Count > 0)
        {
            return ServerCommands.Usage(Usage, string.Join(" ", errors.Values.SelectMany(e => e)));
        }

        await services.GetRequiredService<Migrator>().MigrateAsync();
        var (view, key) = await services.GetRequiredService<IngestKeyStore>().CreateAsync(name!.Trim(), tag, "command line", CancellationToken.None);
        Console.WriteLine($"ingest-key: {key}");
        Console.WriteLine($"ingest-key-id: {view.KeyId}");
        return 0;
    }
}
