using FleetHealth.Server.Analytics;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Dashboard;
using FleetHealth.Server.Health;
using FleetHealth.Server.Hosting;
using FleetHealth.Server.IngestKeys;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Live;
using FleetHealth.Server.Membership;
using FleetHealth.Server.Metrics;
using FleetHealth.Server.Notifications;
using FleetHealth.Server.Operations;
using FleetHealth.Server.Overview;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Serial;
using FleetHealth.Server.Tags;

var command = ServerCommands.Parse(args, out var hostArgs);
var builder = WebApplication.CreateBuilder(hostArgs);
builder.AddFleetHealth();

var app = builder.Build();
if (command is not null)
{
    return await command.RunAsync(app.Services);
}

app.UseBrowserSecurityHeaders();
app.UseStatusCodePages();
app.UseIngestMetrics();
app.UseAccessControl();
app.MapHealthApi();
app.MapAuthApi();
app.MapOperatorApi();
app.MapIngestKeyApi();
app.MapHeartbeatApi();
app.MapSensorApi();
app.MapSensorCommandApi();
app.MapTagApi();
app.MapNotifications();
app.MapSerialApi();
app.MapAnalyticsApi();
app.MapFleetOverviewApi();
app.MapStatusApi();
app.MapClusterApi();
app.MapLiveApi();
app.MapMetricsApi();
app.MapDashboard();
app.Run();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
