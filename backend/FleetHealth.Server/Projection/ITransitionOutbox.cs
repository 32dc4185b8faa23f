using FleetHealth.Domain.Liveness;
using Npgsql;

namespace FleetHealth.Server.Projection;

/// <summary>A transition the projection is writing to <c>state_changes</c>.</summary>
public sealed record ProjectedTransition(string SensorId, LivenessStatus From, LivenessStatus To, DateTimeOffset At);

/// <summary>
/// Writes what follows from a batch's transitions inside the batch's own transaction (after its
/// sensors rows are written, so they can be joined): what it writes commits, or rolls back, with
/// the transitions. Live batches only; a rebuild does not call it (history is not news).
/// </summary>
public interface ITransitionOutbox
{
    Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ProjectedTransition> transitions, CancellationToken cancellationToken);
}
