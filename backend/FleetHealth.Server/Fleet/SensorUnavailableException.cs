namespace FleetHealth.Server.Fleet;

/// <summary>
/// A sensor's actor did not answer in time or could not make its events durable: the caller answers
/// 503 with Retry-After. The command may still take effect (a write can land after the timeout).
/// </summary>
public sealed class SensorUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
