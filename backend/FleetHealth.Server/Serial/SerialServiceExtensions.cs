using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Serial;

internal static class SerialServiceExtensions
{
    /// <summary>Serial (UART) ingestion: section <c>Serial</c>, validated at start; no ports configured means nothing runs.</summary>
    public static void AddSerialIngestion(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SerialOptions>()
            .BindConfiguration(SerialOptions.Section)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SerialOptions>, SerialOptionsValidation>();
        builder.Services.TryAddSingleton<ISerialPortFactory, SerialPortConnectionFactory>();
        builder.Services.AddSingleton<SerialPortRegistry>();
        builder.Services.AddHostedService<SerialIngestionService>();
    }
}
