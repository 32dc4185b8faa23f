using System.Text.Json;
using System.Text.Json.Serialization;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Server.Analytics;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Health;
using FleetHealth.Server.IngestKeys;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Live;
using FleetHealth.Server.Membership;
using FleetHealth.Server.Notifications;
using FleetHealth.Server.Operations;
using FleetHealth.Server.Overview;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Serial;
using FleetHealth.Server.Tags;
using Microsoft.AspNetCore.Mvc;

namespace FleetHealth.Server.Hosting;

/// <summary>
/// Source-generated JSON for every API type: no reflection on the request path. Numbers are read
/// only as JSON numbers: the web defaults would also take <c>"5"</c> for 5, which the API does not
/// promise. (Heartbeats are read by <see cref="HeartbeatJson"/>, under the same rule.)
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(HeartbeatAccepted))]
[JsonSerializable(typeof(BatchResult))]
[JsonSerializable(typeof(SensorView))]
[JsonSerializable(typeof(SensorPage))]
[JsonSerializable(typeof(SensorSettingsBody))]
[JsonSerializable(typeof(TagSettingsBody))]
[JsonSerializable(typeof(TagView))]
[JsonSerializable(typeof(TagList))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(NodeStatus))]
[JsonSerializable(typeof(ClusterStatus))]
[JsonSerializable(typeof(SerialPortList))]
[JsonSerializable(typeof(AnalyticsCatalog))]
[JsonSerializable(typeof(AnalyticsResult))]
[JsonSerializable(typeof(StatesOverTime))]
[JsonSerializable(typeof(TagOverviewPage))]
[JsonSerializable(typeof(SensorHeartbeats))]
[JsonSerializable(typeof(SensorHistory))]
[JsonSerializable(typeof(LiveStatus))]
[JsonSerializable(typeof(SnapshotMessage))]
[JsonSerializable(typeof(SnapshotPartMessage))]
[JsonSerializable(typeof(DeltaMessage))]
[JsonSerializable(typeof(SensorMessage))]
[JsonSerializable(typeof(FeedMessage))]
[JsonSerializable(typeof(ErrorMessage))]
[JsonSerializable(typeof(PongMessage))]
[JsonSerializable(typeof(LoginBody))]
[JsonSerializable(typeof(CurrentOperator))]
[JsonSerializable(typeof(OwnPasswordBody))]
[JsonSerializable(typeof(OperatorList))]
[JsonSerializable(typeof(OperatorView))]
[JsonSerializable(typeof(NewOperatorBody))]
[JsonSerializable(typeof(OperatorCreated))]
[JsonSerializable(typeof(OperatorChangeBody))]
[JsonSerializable(typeof(NewIngestKeyBody))]
[JsonSerializable(typeof(IngestKeyCreated))]
[JsonSerializable(typeof(IngestKeyList))]
[JsonSerializable(typeof(IngestKeyView))]
[JsonSerializable(typeof(ChannelBody))]
[JsonSerializable(typeof(ChannelView))]
[JsonSerializable(typeof(ChannelList))]
[JsonSerializable(typeof(ChannelTestResult))]
[JsonSerializable(typeof(RuleBody))]
[JsonSerializable(typeof(RuleView))]
[JsonSerializable(typeof(RuleList))]
[JsonSerializable(typeof(DeliveryList))]
[JsonSerializable(typeof(SilenceBody))]
[JsonSerializable(typeof(SilenceView))]
[JsonSerializable(typeof(SilenceList))]
[JsonSerializable(typeof(AlertGroupList))]
[JsonSerializable(typeof(MonitorOutageList))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
