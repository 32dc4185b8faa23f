using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FleetHealth.Server.Tests.Hosting;

public sealed class ServerSessionTests(FleetHealthFactory factory) : IClassFixture<FleetHealthFactory>
{
    [Fact]
    public async Task The_servers_sessions_use_utc_so_partition_days_are_the_days_retention_counts()
    {
        await using var command = factory.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT current_setting('TimeZone'), '2026-03-01'::date::timestamptz = '2026-03-01T00:00:00Z'::timestamptz");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();

        Assert.Equal(("UTC", true), (reader.GetString(0), reader.GetBoolean(1)));
    }
}
