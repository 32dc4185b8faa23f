namespace FleetHealth.Server.Analytics;

internal static class AnalyticsServiceExtensions
{
    public static void AddAnalytics(this WebApplicationBuilder builder) => builder.Services.AddSingleton<AnalyticsQueries>();
}
