using FleetHealth.Server.Analytics;
using FleetHealth.Server.Cluster;
using FleetHealth.Server.Dashboard;
using FleetHealth.Server.Health;
using FleetHealth.Server.Hosting;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Operations;
using FleetHealth.Server.Projection;
using FleetHealth.Server.Live;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Serial;

var builder = WebApplication.CreateBuilder(args);
builder.AddFleetHealth();

var app = builder.Build();
if (args.FirstOrDefault() == RebuildCommand.Name)
{
    return await RebuildCommand.RunAsync(app.Services);
}

app.UseStatusCodePages();
app.MapHealthApi();
app.MapHeartbeatApi();
app.MapSensorApi();
app.MapSensorCommandApi();
app.MapSerialApi();
app.MapAnalyticsApi();
app.MapStatusApi();
app.MapClusterApi();
app.MapLiveApi();
app.MapDashboard();
app.Run();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
