using System.Text.Json;
using System.Text.Json.Serialization;
using FleetHealth.Server.Analytics;
using FleetHealth.Server.Cluster;
using FleetHealth.Server.Health;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Operations;
using FleetHealth.Server.Live;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Serial;
using Microsoft.AspNetCore.Mvc;

namespace FleetHealth.Server.Hosting;

/// <summary>Source-generated JSON for every API type: no reflection on the request path.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HeartbeatBody))]
[JsonSerializable(typeof(HeartbeatAccepted))]
[JsonSerializable(typeof(List<BatchItem>))]
[JsonSerializable(typeof(BatchResult))]
[JsonSerializable(typeof(SensorView))]
[JsonSerializable(typeof(SensorPage))]
[JsonSerializable(typeof(SensorSettingsBody))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(NodeStatus))]
[JsonSerializable(typeof(ClusterStatus))]
[JsonSerializable(typeof(SerialPortList))]
[JsonSerializable(typeof(AnalyticsCatalog))]
[JsonSerializable(typeof(AnalyticsResult))]
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
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
