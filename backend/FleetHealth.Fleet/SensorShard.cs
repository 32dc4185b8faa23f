using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FleetHealth.Fleet;

/// <summary>
/// Which shard a sensor belongs to: the first four bytes of the SHA-256 of the UTF-8 sensor id,
/// big-endian, unsigned, modulo the shard count. Stable across processes, machines and versions,
/// and computable in PostgreSQL: <c>fleethealth_shard_of(sensor_id, shards)</c> (migration 0008)
/// is the same function, and the journal fence (migration 0016) uses it to find the lease a
/// sensor's events must be written under. Sharding's message extractor must place sensors with
/// this function (Akka's <c>HashCodeMessageExtractor</c> hashes differently).
/// </summary>
public static class SensorShard
{
    private const int MaxStackBytes = 512;

    /// <summary>The shard of <paramref name="sensorId"/> among <paramref name="shards"/> (0 to shards - 1).</summary>
    public static int Of(string sensorId, int shards)
    {
        ArgumentNullException.ThrowIfNull(sensorId);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var length = Encoding.UTF8.GetMaxByteCount(sensorId.Length);
        Span<byte> utf8 = length <= MaxStackBytes ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(sensorId, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..written], hash);
        return (int)(BinaryPrimitives.ReadUInt32BigEndian(hash) % (uint)shards);
    }

    /// <summary>The shard ids <c>"0"</c> to <c>"{shards - 1}"</c>, indexed by shard (sharding's shard ids are strings).</summary>
    public static string[] Ids(int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        return [.. Enumerable.Range(0, shards).Select(s => s.ToString(CultureInfo.InvariantCulture))];
    }
}
