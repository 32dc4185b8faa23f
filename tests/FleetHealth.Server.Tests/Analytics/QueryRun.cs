using System.Text.Json.Nodes;
using FleetHealth.Server.Analytics;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Analytics;

internal static class QueryRun
{
    /// <summary>The fixed "now" of every analytics test, so that answers are exact.</summary>
    public static readonly DateTimeOffset AsOf = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<List<JsonObject>> RunAsync(MigratedDatabase db, string name, AnalyticsParameters? parameters = null)
    {
        var rows = await new AnalyticsQueries(db.DataSource).RunAsync(name, parameters ?? new AnalyticsParameters(AsOf: AsOf), CancellationToken.None);
        return [.. rows!.Select(r => r!.AsObject())];
    }

    /// <summary>A numeric column, whatever CLR type it was read as (numeric, float8, bigint).</summary>
    public static double D(this JsonObject row, string column) =>
        double.Parse(row[column]?.ToJsonString() ?? throw new InvalidOperationException($"{column} is null in {row.ToJsonString()}"), System.Globalization.CultureInfo.InvariantCulture);

    public static string? S(this JsonObject row, string column) => row[column]?.ToString();

    /// <summary>PostgreSQL's percentile_cont: linear interpolation between the closest ranks.</summary>
    public static double PercentileCont(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
