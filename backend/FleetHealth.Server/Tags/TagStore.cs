using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using Npgsql;

namespace FleetHealth.Server.Tags;

/// <summary>The <c>tag_settings</c> table (migration 0007) and the tags the read model's sensors carry.</summary>
internal sealed class TagStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Tags carried by sensors, with or without settings, and tags with settings that no sensor
    /// carries yet. Counting walks every sensor's tags (one scan): an operator's page, not a hot path.
    /// </summary>
    private const string ViewSql = """
        WITH used AS (
            SELECT tag, count(*) AS sensors FROM sensors, unnest(tags) AS tag
            WHERE $1::text IS NULL OR tag = $1 GROUP BY tag
        )
        SELECT coalesce(u.tag, t.tag), coalesce(u.sensors, 0), t.interval_seconds, t.grace_seconds, t.updated_at, t.updated_by
        FROM used u FULL JOIN (SELECT * FROM tag_settings WHERE $1::text IS NULL OR tag = $1) t ON t.tag = u.tag
        ORDER BY 1
        """;

    /// <summary>Every tag's settings, as the liveness rules take them.</summary>
    public async Task<Dictionary<string, TagSettings>> LoadAllAsync(CancellationToken cancellationToken)
    {
        var tags = new Dictionary<string, TagSettings>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand("SELECT tag, interval_seconds, grace_seconds FROM tag_settings");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tags[reader.GetString(0)] = new TagSettings(
                BeatSettingsValidation.ToTimeSpan(reader.IsDBNull(1) ? null : reader.GetDouble(1)),
                BeatSettingsValidation.ToTimeSpan(reader.IsDBNull(2) ? null : reader.GetDouble(2)));
        }

        return tags;
    }

    public async Task<List<TagView>> ListAsync(CancellationToken cancellationToken) => await ReadViewsAsync(null, cancellationToken);

    /// <summary>The tag, or null when no sensor carries it and it has no settings.</summary>
    public async Task<TagView?> FindAsync(string tag, CancellationToken cancellationToken) => (await ReadViewsAsync(tag, cancellationToken)).SingleOrDefault();

    /// <summary>Stores the tag's settings (both null: removes them).</summary>
    public async Task SetAsync(string tag, double? intervalSeconds, double? graceSeconds, DateTimeOffset at, string? by, CancellationToken cancellationToken)
    {
        if (intervalSeconds is null && graceSeconds is null)
        {
            await DeleteAsync(tag, cancellationToken);
            return;
        }

        await using var command = dataSource.CreateCommand("""
            INSERT INTO tag_settings (tag, interval_seconds, grace_seconds, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (tag) DO UPDATE SET interval_seconds = excluded.interval_seconds, grace_seconds = excluded.grace_seconds,
                                            updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tag });
        command.Parameters.Add(new NpgsqlParameter<double?> { TypedValue = intervalSeconds, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter<double?> { TypedValue = graceSeconds, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = by, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Removes the tag's settings; false when it had none.</summary>
    public async Task<bool> DeleteAsync(string tag, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM tag_settings WHERE tag = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tag });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private async Task<List<TagView>> ReadViewsAsync(string? tag, CancellationToken cancellationToken)
    {
        var views = new List<TagView>();
        await using var command = dataSource.CreateCommand(ViewSql);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = tag, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            views.Add(new TagView(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.IsDBNull(2) ? null : reader.GetDouble(2),
                reader.IsDBNull(3) ? null : reader.GetDouble(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return views;
    }
}
