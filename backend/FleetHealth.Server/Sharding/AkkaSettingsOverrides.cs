using Akka.Hosting;

namespace FleetHealth.Server.Sharding;

/// <summary>
/// Configuration section <c>Akka</c>: any Akka.NET setting, set like every other setting of the
/// server (appsettings, environment, command line), e.g. <c>Akka__Cluster__Sharding__Shard_Start_Timeout=5s</c>
/// for <c>akka.cluster.sharding.shard-start-timeout = 5s</c>. Converted by Akka.Hosting's own adapter:
/// keys are lower-cased and <c>_</c> becomes <c>-</c>; values are HOCON strings (Akka parses durations,
/// numbers and on/off as it reads them; <c>True</c>/<c>False</c> become on/off); arrays by index
/// (<c>Akka:Extensions:0</c>).
/// </summary>
/// <remarks>
/// Applied after FleetHealth's own HOCON and the options it passes to Akka.Hosting, so a setting here
/// wins over FleetHealth's value: an operator can tune anything, and owns what that risks (see
/// docs/cluster.md for why FleetHealth's values are what they are). Keys holding dots or capitals
/// (serialization bindings) cannot be written this way.
/// </remarks>
internal static class AkkaSettingsOverrides
{
    public const string Section = "Akka";

    public static AkkaConfigurationBuilder WithSettingsFrom(this AkkaConfigurationBuilder builder, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        if (!section.Exists())
        {
            // An absent section would become `akka = null` and erase every setting.
            return builder;
        }

        // Leaves only: some sources give a parent key an empty value ("Akka" = ""), which the adapter
        // would turn into `akka = ""`, erasing every Akka setting instead of adding one.
        var leaves = section.AsEnumerable()
            .Where(entry => entry.Value is not null && !configuration.GetSection(entry.Key).GetChildren().Any())
            .ToDictionary(entry => entry.Key, entry => entry.Value, StringComparer.OrdinalIgnoreCase);
        var settings = new ConfigurationBuilder().AddInMemoryCollection(leaves).Build().GetSection(Section);
        return builder.AddHocon(settings, HoconAddMode.Prepend);
    }
}
