namespace FleetHealth.Server.Projection;

/// <summary>
/// Hears the sensor rows of every projection batch once its transaction has committed, in commit
/// order, on the projection's own thread (keep it quick). Not called by rebuilds.
/// </summary>
public interface IReadModelObserver
{
    void Committed(IReadOnlyList<SensorRow> rows);
}
