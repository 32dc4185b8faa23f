using System.Text.Json.Nodes;
using FleetHealth.Database;
using Npgsql;

namespace FleetHealth.Server.Analytics;

/// <summary>Runs a named query from db/queries exactly as psql would, with its parameters set locally.</summary>
public sealed class AnalyticsQueries(NpgsqlDataSource dataSource)
{
    public static IReadOnlyCollection<string> Names => (IReadOnlyCollection<string>)QuerySource.Embedded.Keys;

    /// <summary>The first sentence of each query's leading comment (however many lines it wraps over), as its description.</summary>
    public static string Describe(string name) => QueryDescription.FirstSentence(QuerySource.Embedded[name]) ?? name;

    /// <summary>Whether a query has that name.</summary>
    public static bool Exists(string name) => QuerySource.Embedded.ContainsKey(name);

    /// <summary>Rows as JSON objects (column name → value); null when no query has that name.</summary>
    public async Task<JsonArray?> RunAsync(string name, AnalyticsParameters parameters, CancellationToken cancellationToken)
    {
        var rows = new JsonArray();
        var found = await ReadAsync(name, parameters, async (reader, ct) =>
        {
            while (await reader.ReadAsync(ct))
            {
                var row = new JsonObject();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row[reader.GetName(i)] = ToJson(reader.IsDBNull(i) ? null : reader.GetValue(i));
                }

                rows.Add(row);
            }
        }, cancellationToken);
        return found ? rows : null;
    }

    /// <summary>
    /// Runs the query and hands its reader to <paramref name="consume"/>, which reads the rows as they
    /// come (nothing is buffered here); false when no query has that name.
    /// </summary>
    public async Task<bool> ReadAsync(string name, AnalyticsParameters parameters, Func<NpgsqlDataReader, CancellationToken, Task> consume, CancellationToken cancellationToken)
    {
        if (!QuerySource.Embedded.TryGetValue(name, out var sql))
        {
            return false;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (setting, value) in parameters.Settings())
        {
            await using var set = new NpgsqlCommand("SELECT set_config($1, $2, true)", connection, transaction);
            set.Parameters.Add(new NpgsqlParameter<string> { TypedValue = setting });
            set.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
            await set.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await consume(reader, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : null,
        float f => float.IsFinite(f) ? JsonValue.Create(f) : null,
        decimal m => JsonValue.Create(m),
        DateTime t => JsonValue.Create(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))),
        DateTimeOffset t => JsonValue.Create(t),
        TimeSpan t => JsonValue.Create(t.TotalSeconds),
        _ => JsonValue.Create(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
    };
}
