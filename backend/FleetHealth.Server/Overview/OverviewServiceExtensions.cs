namespace FleetHealth.Server.Overview;

internal static class OverviewServiceExtensions
{
    public static void AddFleetOverview(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<StateTimelineQuery>();
        builder.Services.AddSingleton<TagOverviewQuery>();
    }
}
