namespace FleetHealth.Server.Projection;

/// <summary>
/// The leading projection's copy of the <c>sensors</c> rows it has committed, so that a batch reads
/// back from the database only the rows it has not seen (a fleet's sensors beat again and again,
/// and reading 5,000 rows back cost a fifth of a batch's database time).
/// </summary>
/// <remarks>
/// Correct only while nobody else writes those rows. The projection is their only writer but for a
/// rebuild, and every writer of the read model also writes the projection's offset row; so the
/// cache carries the stamp (<c>updated_at</c>) of the projection's own last offset write, and the
/// next write of the offset requires the stamp to be unchanged (see
/// <see cref="ReadModelWriter"/>). Anyone else's write in between makes that claim fail, and the
/// leader starts over with an empty cache. Rows enter only after their transaction commits.
/// Bounded: two generations of at most half the capacity each; a row is kept while it is used
/// within the last one or two generations, the older generation is dropped whole when the newer
/// one fills (an approximation of least-recently-used at the cost of a dictionary swap).
/// A capacity of 0 keeps no rows (every batch reads its rows back). Not thread-safe: one
/// projection loop owns it.
/// </remarks>
public sealed class SensorRowCache(int capacity)
{
    private readonly int _generationSize = Math.Max(1, capacity / 2);
    private Dictionary<string, SensorRow> _young = new(StringComparer.Ordinal);
    private Dictionary<string, SensorRow> _old = new(StringComparer.Ordinal);

    /// <summary>The <c>updated_at</c> this projection last wrote on its offset row; null before its first write (nothing to vouch for).</summary>
    public DateTimeOffset? Stamp { get; private set; }

    /// <summary>Rows held now.</summary>
    public int Count => _young.Count + _old.Count;

    public bool TryGet(string sensorId, out SensorRow row)
    {
        if (_young.TryGetValue(sensorId, out row!))
        {
            return true;
        }

        if (_old.Remove(sensorId, out row!))
        {
            Keep(row);
            return true;
        }

        return false;
    }

    /// <summary>Takes in the rows of a committed transaction whose offset write carried <paramref name="stamp"/>.</summary>
    public void Committed(IEnumerable<SensorRow> rows, DateTimeOffset stamp)
    {
        foreach (var row in rows)
        {
            _old.Remove(row.SensorId);
            Keep(row);
        }

        Stamp = stamp;
    }

    private void Keep(SensorRow row)
    {
        if (capacity == 0)
        {
            return;
        }

        if (_young.Count >= _generationSize && !_young.ContainsKey(row.SensorId))
        {
            (_old, _young) = (_young, _old);
            _young.Clear();
        }

        _young[row.SensorId] = row;
    }
}
