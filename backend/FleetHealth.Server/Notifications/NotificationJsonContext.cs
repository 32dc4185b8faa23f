using System.Text.Json;
using System.Text.Json.Serialization;

namespace FleetHealth.Server.Notifications;

/// <summary>JSON of what notifications store and send: channel settings and the documented payload.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChannelConfig))]
[JsonSerializable(typeof(NotificationPayload))]
[JsonSerializable(typeof(SlackMessage))]
internal sealed partial class NotificationJsonContext : JsonSerializerContext;
