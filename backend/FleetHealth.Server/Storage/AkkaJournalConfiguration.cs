using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Sql;
using FleetHealth.Coordination;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Storage;

/// <summary>
/// Configuration section <c>Journal</c>: the tuning of the Akka.Persistence.Sql journal. The defaults
/// are the values measured on the fleet's write pattern (one event from each of many sensors at once);
/// change them only with a new measurement (<c>FleetHealth.Bench journal</c>).
/// </summary>
public sealed class AkkaJournalOptions
{
    public const string Section = "Journal";

    /// <summary>
    /// Writes the journal accepts while earlier ones are still pending; past it a persist is rejected
    /// (<c>OnPersistRejected</c>). The plugin's 5,000 rejects part of a burst from 10,000 sensors.
    /// </summary>
    [Range(1, 10_000_000)]
    public int BufferSize { get; set; } = 40_000;

    /// <summary>Rows of one write batch (one transaction).</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 2_000;

    /// <summary>Rows of one multi-row INSERT round trip within a batch.</summary>
    [Range(1, 100_000)]
    public int DbRoundTripMaxBatchSize { get; set; } = 2_000;

    /// <summary>Concurrent write batches (connections writing at once). 1–3 measured best on 2 cores.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 2;

    /// <summary>
    /// How often an idle read-journal stream polls for new events, and how often the read journal's
    /// sequence retrieval looks for the highest gap-free ordering. Both bound the delivery delay.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan QueryInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Events one read-journal query fetches (the plugin's <c>max-buffer-size</c>, 500 by default). A
    /// stream that gets a full page queries again at once, a shorter one waits
    /// <see cref="QueryInterval"/>: behind a backlog, larger pages catch up in fewer round trips.
    /// </summary>
    [Range(1, 100_000)]
    public int QueryBatchSize { get; set; } = 2_000;

    /// <summary>
    /// How long the read journal waits for a hole in the ordering to fill before it gives the
    /// ordering up as a gap and delivers what follows (the plugin's sequence retrieval
    /// <c>max-tries</c> × <see cref="QueryInterval"/>; 10 × 1 s by default). An ordering is taken
    /// when a write's INSERT runs and visible only at its commit, so a slower concurrent write
    /// batch leaves a hole for a while: an event committed after its hole was given up is never
    /// delivered. Must exceed the longest a journal write batch can take from INSERT to commit;
    /// it costs latency only at real gaps (rolled-back writes) and for as long at a read
    /// journal's start (it then assumes the journal's highest ordering).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan QueryGapTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether recoveries' highest-sequence and latest-snapshot reads are answered many streams per
    /// query (<see cref="BatchedSqlWriteJournal"/>, <see cref="BatchedSnapshotStore"/>); false: the
    /// plugin's own classes, one transaction per read (the baseline, or a way back).
    /// </summary>
    public bool BatchedRecoveryReads { get; set; } = true;

    /// <summary>The plugin's <c>max-tries</c>: rounds of <see cref="QueryInterval"/> before a hole is given up.</summary>
    public int QueryGapTries => (int)Math.Max(1, Math.Ceiling(QueryGapTimeout / QueryInterval));
}

/// <summary>
/// The Akka.Persistence.Sql journal, snapshot store and read journal on FleetHealth's PostgreSQL, in
/// schema <c>akka</c> (tables created by migration 0014; auto-initialize is off, so a database that
/// was not migrated fails the plugin's first query instead of growing tables of its own).
/// <list type="bullet">
/// <item>A burst: with the default <see cref="AkkaJournalOptions.BufferSize"/> (40,000), one event from
/// each of 10,000 actors at once is persisted without a rejection or a failure (tested). Past the
/// buffer, persists are rejected (<c>OnPersistRejected</c>, the actor goes on), not failed.</item>
/// <item>Ordering: <c>AllEvents</c> and <c>EventsByTag</c> deliver events in <c>ordering</c> order (the
/// journal's identity column) with <see cref="Akka.Persistence.Query.Sequence"/> offsets; the read
/// journal delivers an ordering only once every lower one is committed or known to be a gap, so a
/// consumer that resumes from the last offset it stored misses nothing and sees nothing twice.</item>
/// <item>Tags are stored in the journal row (tag-write-mode Csv, <c>;</c>-delimited): a tag may not
/// contain <c>;</c>.</item>
/// <item>Exclusion: with a <see cref="JournalFence"/>, the journal's connections (and only the
/// journal's: not the snapshot store's nor the read journal's) declare its writer, and migration
/// 0016 refuses a batch with any sensor whose shard lease this writer does not hold (SQLSTATE
/// <c>ZF001</c>): the whole batch fails, and every actor of it gets <c>OnPersistFailure</c> (never a
/// success).</item>
/// </list>
/// </summary>
public static class AkkaJournalConfiguration
{
    public const string JournalPluginId = "akka.persistence.journal.sql";
    public const string SnapshotPluginId = "akka.persistence.snapshot-store.sql";
    public const string ReadJournalPluginId = "akka.persistence.query.journal.sql";
    public const string Schema = "akka";
    public const string JournalTable = "event_journal";
    public const string SnapshotTable = "snapshot_store";

    /// <summary>PostgreSQL 15 dialect of linq2db: naming the version skips the provider's detection query.</summary>
    public const string ProviderName = "PostgreSQL.15";

    /// <summary>Binds and validates section <c>Journal</c> at start-up.</summary>
    public static IServiceCollection AddAkkaJournalOptions(this IServiceCollection services)
    {
        services.AddOptions<AkkaJournalOptions>()
            .BindConfiguration(AkkaJournalOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    /// <summary>
    /// Makes the Sql journal and snapshot store the default persistence plugins of the actor system,
    /// with <c>Database:ConnectionString</c> and section <c>Journal</c> from the service provider.
    /// </summary>
    public static AkkaConfigurationBuilder WithFleetJournal(this AkkaConfigurationBuilder builder, IServiceProvider services, JournalFence? fence = null) =>
        builder.WithFleetJournal(
            services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString,
            services.GetRequiredService<IOptions<AkkaJournalOptions>>().Value,
            fence);

    public static AkkaConfigurationBuilder WithFleetJournal(this AkkaConfigurationBuilder builder, string connectionString, AkkaJournalOptions options, JournalFence? fence = null) =>
        builder
            .AddHocon(ToConfig(connectionString, options, fence), HoconAddMode.Prepend)
            // The plugin's reference.conf is not loaded by itself: without it the plugin has no class, dao or mappings.
            .AddHocon(SqlPersistence.DefaultConfiguration, HoconAddMode.Append);

    /// <summary>
    /// The whole configuration, with the plugin's defaults as fallback (for a bare ActorSystem or
    /// TestKit). <paramref name="fence"/>: the writer whose journal sessions migration 0016 fences;
    /// null: unfenced (tools, tests of the journal alone).
    /// </summary>
    public static Config ToConfig(string connectionString, AkkaJournalOptions options, JournalFence? fence = null) =>
        ConfigurationFactory.ParseString(ToHocon(connectionString, options, fence)).WithFallback(SqlPersistence.DefaultConfiguration);

    private static string ToHocon(string connectionString, AkkaJournalOptions options, JournalFence? fence)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "fleethealth-akka" }.ConnectionString;
        // Only the journal writes events: the snapshot store and the read journal stay unfenced.
        var journalConnection = fence?.ApplyTo(connection) ?? connection;
        var interval = Duration(options.QueryInterval);
        // The read journal's own `default` block is a substitution resolved inside the plugin's
        // reference.conf, so it does not follow an override of the journal's: each plugin names the
        // schema and tables itself.
        return $$"""
            akka.persistence {
              journal.plugin = "{{JournalPluginId}}"
              snapshot-store.plugin = "{{SnapshotPluginId}}"

              journal.sql {
                # The plugin's journal with recoveries' highest-sequence reads batched (BatchedSqlWriteJournal).
                class = "{{(options.BatchedRecoveryReads ? typeof(BatchedSqlWriteJournal) : typeof(Akka.Persistence.Sql.Journal.SqlWriteJournal)).AssemblyQualifiedName}}"
                connection-string = {{Quote(journalConnection)}}
                provider-name = "{{ProviderName}}"
                auto-initialize = off
                tag-write-mode = Csv
                delete-compatibility-mode = off
                buffer-size = {{options.BufferSize}}
                batch-size = {{options.BatchSize}}
                db-round-trip-max-batch-size = {{options.DbRoundTripMaxBatchSize}}
                parallelism = {{options.Parallelism}}
                table-mapping = default
                default {
                  schema-name = {{Schema}}
                  journal.table-name = {{JournalTable}}
                  metadata.table-name = journal_metadata
                }
                # Payloads go through FleetHealth.Fleet's SensorEventSerializer (id 7201), bound to the
                # event types in akka.actor.serialization-bindings; no `serializer` override here.
              }

              snapshot-store.sql {
                # The plugin's store with recoveries' latest-snapshot reads batched (BatchedSnapshotStore).
                class = "{{(options.BatchedRecoveryReads ? typeof(BatchedSnapshotStore) : typeof(Akka.Persistence.Sql.Snapshot.SqlSnapshotStore)).AssemblyQualifiedName}}"
                connection-string = {{Quote(connection)}}
                provider-name = "{{ProviderName}}"
                auto-initialize = off
                table-mapping = default
                default {
                  schema-name = {{Schema}}
                  snapshot.table-name = {{SnapshotTable}}
                }
              }

              query.journal.sql {
                write-plugin = "{{JournalPluginId}}"
                connection-string = {{Quote(connection)}}
                provider-name = "{{ProviderName}}"
                tag-read-mode = Csv
                table-mapping = default
                default {
                  schema-name = {{Schema}}
                  journal.table-name = {{JournalTable}}
                  metadata.table-name = journal_metadata
                }
                # Both bound the delay from commit to delivery: the poll of an idle stream, and the
                # sequence retrieval that decides up to which ordering events may be delivered.
                refresh-interval = {{interval}}
                journal-sequence-retrieval.query-delay = {{interval}}
                # A hole in the ordering is waited for max-tries x query-delay, then given up.
                journal-sequence-retrieval.max-tries = {{options.QueryGapTries}}
                max-buffer-size = {{options.QueryBatchSize}}
              }
            }
            """;
    }

    private static string Duration(TimeSpan value) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (long)value.TotalMilliseconds)}ms");

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
