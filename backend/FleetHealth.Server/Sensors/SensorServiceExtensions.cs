namespace FleetHealth.Server.Sensors;

internal static class SensorServiceExtensions
{
    public static void AddSensors(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SensorQueries>();
        builder.Services.AddSingleton<SensorReads>();
    }
}
