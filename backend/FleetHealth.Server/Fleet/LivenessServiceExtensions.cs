using FleetHealth.Fleet;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Fleet;

internal static class LivenessServiceExtensions
{
    /// <summary>The liveness rules in force (configuration plus tag settings), read by the sensors and the APIs alike.</summary>
    public static void AddLivenessRules(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LivenessOptions>()
            .BindConfiguration(LivenessOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => FleetPolicy.AwaitingTags(sp.GetRequiredService<IOptions<LivenessOptions>>().Value.ToPolicy()));
    }
}
