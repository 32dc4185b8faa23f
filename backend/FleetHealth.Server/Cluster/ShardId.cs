using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FleetHealth.Server.Cluster;

/// <summary>
/// Which shard an entity belongs to (Akka's ShardId, from its message extractor). Stable across
/// processes, machines and versions: the first four bytes of the SHA-256 of the UTF-8 entity id,
/// big-endian, unsigned, modulo the shard count. The SQL function <c>fleethealth_shard_of</c>
/// (migration 0008) computes the same, so a shard's sensors can be found in the database.
/// </summary>
public static class ShardId
{
    private const int MaxStackBytes = 512;

    public static int Of(string entityId, int shards)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var length = Encoding.UTF8.GetMaxByteCount(entityId.Length);
        Span<byte> utf8 = length <= MaxStackBytes ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(entityId, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..written], hash);
        return (int)(BinaryPrimitives.ReadUInt32BigEndian(hash) % (uint)shards);
    }
}
