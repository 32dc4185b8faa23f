using Microsoft.Extensions.Logging.Console;

namespace FleetHealth.Server.Hosting;

/// <summary>
/// Console log lines as configured in <c>Logging:Console</c> (appsettings.json: one line per entry,
/// UTC ISO-8601 timestamps; <c>FormatterName=json</c> for JSON lines). Both formatters read the same
/// <c>FormatterOptions</c>, whose timestamp format ends in a space to part it from the level in plain
/// lines; a JSON timestamp is a value of its own, so it loses that space here.
/// </summary>
internal static class ConsoleLogFormat
{
    public static void AddConsoleLogFormat(this WebApplicationBuilder builder) =>
        builder.Services.PostConfigure<JsonConsoleFormatterOptions>(o => o.TimestampFormat = o.TimestampFormat?.TrimEnd());
}
