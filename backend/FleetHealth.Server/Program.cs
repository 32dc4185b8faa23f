using FleetHealth.Server.Analytics;
using FleetHealth.Server.Dashboard;
using FleetHealth.Server.Health;
using FleetHealth.Server.Hosting;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Live;
using FleetHealth.Server.Sensors;

var builder = WebApplication.CreateBuilder(args);
builder.AddFleetHealth();

var app = builder.Build();
app.UseStatusCodePages();
app.MapHealthApi();
app.MapHeartbeatApi();
app.MapSensorApi();
app.MapAnalyticsApi();
app.MapLiveApi();
app.MapDashboard();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
