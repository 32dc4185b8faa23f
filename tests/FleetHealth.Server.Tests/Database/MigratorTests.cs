using FleetHealth.Database;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Server.Tests.Upgrade;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.Database;

/// <summary>Each test migrates a schema of its own inside the class's database.</summary>
public sealed class MigratorTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    private static readonly Migration[] ThreeSteps =
    [
        new(1, "create", "CREATE TABLE widgets (id int PRIMARY KEY)"),
        new(2, "add_column", "ALTER TABLE widgets ADD COLUMN name text NOT NULL DEFAULT ''"),
        new(3, "seed", "INSERT INTO widgets (id, name) VALUES (1, 'first')"),
    ];

    [Fact]
    public async Task Migrations_are_applied_in_order_and_recorded()
    {
        await using var source = await NewSchemaAsync();
        var migrator = new Migrator(source, ThreeSteps);

        var applied = await migrator.MigrateAsync();

        Assert.Equal([1, 2, 3], applied);
        Assert.Equal("first", await ScalarAsync<string>(source, "SELECT name FROM widgets WHERE id = 1"));
        Assert.Equal(3, await ScalarAsync<long>(source, "SELECT count(*) FROM schema_migrations"));
        Assert.Equal(3, await Migrator.AppliedVersionAsync(source));
    }

    [Fact]
    public async Task A_second_run_applies_nothing_and_a_new_migration_is_applied_alone()
    {
        await using var source = await NewSchemaAsync();
        await new Migrator(source, ThreeSteps[..2]).MigrateAsync();

        Assert.Empty(await new Migrator(source, ThreeSteps[..2]).MigrateAsync());
        Assert.Equal([3], await new Migrator(source, ThreeSteps).MigrateAsync());
    }

    [Fact]
    public async Task A_failing_migration_rolls_back_alone_and_is_not_recorded()
    {
        await using var source = await NewSchemaAsync();
        Migration[] broken = [ThreeSteps[0], new(2, "broken", "ALTER TABLE widgets ADD COLUMN x int; SELECT * FROM no_such_table")];

        var error = await Assert.ThrowsAsync<PostgresException>(() => new Migrator(source, broken).MigrateAsync());

        Assert.Equal(PostgresErrorCodes.UndefinedTable, error.SqlState);
        Assert.Equal(1, await Migrator.AppliedVersionAsync(source));
        Assert.Equal(0, await ScalarAsync<long>(source, "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'x'"));
    }

    [Fact]
    public async Task An_edited_landed_migration_stops_the_start()
    {
        await using var source = await NewSchemaAsync();
        await new Migrator(source, ThreeSteps[..1]).MigrateAsync();
        Migration[] edited = [ThreeSteps[0] with { Sql = "CREATE TABLE widgets (id bigint PRIMARY KEY)" }];

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new Migrator(source, edited).MigrateAsync());

        Assert.Contains("0001_create", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nodes_starting_at_once_apply_each_migration_exactly_once()
    {
        await using var source = await NewSchemaAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => new Migrator(source, MigrationSource.Embedded).MigrateAsync())));

        Assert.Equal(MigrationSource.Embedded.Select(m => m.Version), results.SelectMany(r => r).Order());
        Assert.Equal(MigrationSource.Embedded.Count, await ScalarAsync<long>(source, "SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public void Shipped_migrations_are_numbered_without_gaps()
    {
        Assert.NotEmpty(MigrationSource.Embedded);
        var shipped = MigrationSource.Embedded.Select(m => m.Version).ToList();
        Assert.Equal(Enumerable.Range(1, shipped[^1]), shipped);
    }

    [Theory]
    [InlineData("create.sql")]
    [InlineData("0000_zero.sql")]
    [InlineData("x1_bad.sql")]
    public void Badly_named_migration_files_are_refused(string fileName)
    {
        Assert.Throws<InvalidOperationException>(() => Migration.FromFile(fileName, "SELECT 1"));
    }

    [Fact]
    public async Task Migration_13_retires_sensors_whose_id_is_only_dots_in_their_journal()
    {
        await using var source = await NewSchemaAsync();
        await new Migrator(source, MigrationSource.Embedded.Where(m => m.Version < 13).ToList()).MigrateAsync();
        var t0 = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
        SensorEvent[] heardThenSilent =
        [
            new SensorRegistered(t0),
            new HeartbeatRecorded(t0, 1, null, ReportedStatus.Ok, null, null, null, null, false, 0, 0, false),
            new StatusChanged(t0, LivenessStatus.Registered, LivenessStatus.Healthy, "first heartbeat"),
            new StatusChanged(t0.AddMinutes(2), LivenessStatus.Healthy, LivenessStatus.Late, "silent for 2 min"),
        ];
        // As the old release stored them: events from a batch beat, or only a snapshot once compacted.
        await AppendAsync(source, "sensor/..", heardThenSilent);
        await AppendAsync(source, "sensor/a..", heardThenSilent);
        await AppendAsync(source, "sensor/...", new SensorRegistered(t0), new StatusChanged(t0, LivenessStatus.Registered, LivenessStatus.Retired, "retired by an operator"));
        var dead = heardThenSilent.Aggregate(SensorState.Unknown, (state, e) => state.Apply(e)).Apply(new StatusChanged(t0.AddDays(7), LivenessStatus.Late, LivenessStatus.Dead, "silent for 7 d"));
        await ExecuteAsync(
            source,
            "INSERT INTO snapshots (persistence_id, sequence_nr, manifest, payload) VALUES ('sensor/.', 5, 'sensor.state.v1', $1)",
            SensorPayloads.Serialize(dead, out _));
        await ExecuteAsync(source, "INSERT INTO journal_deletions (persistence_id, deleted_to) VALUES ('sensor/.', 5)");

        Assert.Equal([13], await new Migrator(source, MigrationSource.Embedded.Where(m => m.Version <= 13).ToList()).MigrateAsync());

        var twoDots = await RecoverAsync(source, "sensor/..");
        Assert.Equal((LivenessStatus.Retired, 5L), (twoDots.State.Status, twoDots.Highest));
        Assert.NotNull(twoDots.State.RetiredAt);
        Assert.Equal(LivenessStatus.Late, twoDots.Last!.From);
        var oneDot = await RecoverAsync(source, "sensor/.");
        Assert.Equal((LivenessStatus.Retired, 6L, LivenessStatus.Dead), (oneDot.State.Status, oneDot.Highest, oneDot.Last!.From));
        var notOnlyDots = await RecoverAsync(source, "sensor/a..");
        Assert.Equal((LivenessStatus.Late, 4L), (notOnlyDots.State.Status, notOnlyDots.Highest));
        Assert.Equal(2L, (await RecoverAsync(source, "sensor/...")).Highest);
    }

    private static async Task AppendAsync(NpgsqlDataSource source, string persistenceId, params SensorEvent[] events)
    {
        for (var i = 0; i < events.Length; i++)
        {
            var payload = SensorPayloads.Serialize(events[i], out var manifest);
            await ExecuteAsync(
                source,
                "INSERT INTO journal (persistence_id, sequence_nr, manifest, payload) VALUES ($1, $2, $3, $4)",
                persistenceId,
                (long)(i + 1),
                manifest,
                payload);
        }
    }

    /// <summary>The stream's state as its actor recovers it: the newest snapshot, then the events after it.</summary>
    private static async Task<(SensorState State, long Highest, StatusChanged? Last)> RecoverAsync(NpgsqlDataSource source, string persistenceId)
    {
        var state = SensorState.Unknown;
        long from = 0;
        await using (var snapshot = source.CreateCommand("SELECT sequence_nr, manifest, payload FROM snapshots WHERE persistence_id = $1 ORDER BY sequence_nr DESC LIMIT 1"))
        {
            snapshot.Parameters.Add(new NpgsqlParameter { Value = persistenceId });
            await using var reader = await snapshot.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                from = reader.GetInt64(0);
                state = (SensorState)SensorPayloads.Deserialize(reader.GetString(1), reader.GetFieldValue<byte[]>(2));
            }
        }

        StatusChanged? last = null;
        var highest = from;
        await using var events = source.CreateCommand("SELECT sequence_nr, manifest, payload FROM journal WHERE persistence_id = $1 AND sequence_nr > $2 ORDER BY sequence_nr");
        events.Parameters.Add(new NpgsqlParameter { Value = persistenceId });
        events.Parameters.Add(new NpgsqlParameter { Value = from });
        await using (var reader = await events.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                highest = reader.GetInt64(0);
                var e = (SensorEvent)SensorPayloads.Deserialize(reader.GetString(1), reader.GetFieldValue<byte[]>(2));
                last = e as StatusChanged ?? last;
                state = state.Apply(e);
            }
        }

        return (state, highest, last);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource source, string sql, params object[] values)
    {
        await using var command = source.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync();
    }

    private async Task<NpgsqlDataSource> NewSchemaAsync()
    {
        var schema = $"m_{Guid.NewGuid():N}"[..16];
        await using (var create = db.DataSource.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        return NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(db.ConnectionString) { SearchPath = schema }.ConnectionString);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
