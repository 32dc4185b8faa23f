using System.Net;
using System.Net.Http.Json;
using FleetHealth.Database;
using FleetHealth.Server.Health;
using FleetHealth.Server.Tests.Hosting;

namespace FleetHealth.Server.Tests.Api;

public sealed class HealthApiTests(FleetHealthFactory factory) : IClassFixture<FleetHealthFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Healthz_says_the_process_is_up()
    {
        var report = await _client.GetFromJsonAsync<HealthReport>("/healthz");

        Assert.Equal("up", report!.Status);
    }

    [Fact]
    public async Task Readyz_reports_the_schema_at_the_shipped_version()
    {
        var report = await _client.GetFromJsonAsync<HealthReport>("/readyz");

        Assert.Equal("ready", report!.Status);
        Assert.Equal(MigrationSource.Embedded[^1].Version, report.SchemaVersion);
        Assert.Equal(report.ExpectedSchemaVersion, report.SchemaVersion);
    }

    [Fact]
    public async Task An_unknown_path_is_404()
    {
        using var response = await _client.GetAsync("/api/v1/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
