using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FleetHealth.Fleet;

/// <summary>
/// Which shard a sensor belongs to. Stable across processes, machines and versions: the first four
/// bytes of the SHA-256 of the UTF-8 sensor id, big-endian, unsigned, modulo the shard count. The
/// SQL function <c>fleethealth_shard_of</c> (migration 0008) computes the same, so the database can
/// tell which shard (and so which shard lease) a journal stream belongs to.
/// </summary>
public static class SensorShard
{
    private const int MaxStackBytes = 512;

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
}
