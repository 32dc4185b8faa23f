using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using FleetHealth.Server.Auth;

namespace FleetHealth.Server.IngestKeys;

/// <summary>A key that validated, with the principal its requests run as (built once per reload, shared by its requests).</summary>
public sealed record ValidIngestKey(string KeyId, string? Tag, byte[] SecretHash, ClaimsPrincipal Principal);

/// <summary>
/// This node's copy of the usable ingest keys, so that validating a heartbeat's key costs a
/// dictionary lookup and one SHA-256, never a database round trip. The copy is replaced whole on
/// every reload (an immutable snapshot read without locks); reloads come from the table's
/// notifications and a periodic refresh (<see cref="IngestKeyRefreshService"/>), and from this
/// node's own key API calls, which take effect here before they return.
/// </summary>
public sealed class IngestKeyCache(IngestKeyStore store, TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private volatile Snapshot? _snapshot;

    /// <summary>False until the first load: until then no key can be judged either way (the handler answers 503).</summary>
    public bool IsLoaded => _snapshot is not null;

    public DateTimeOffset? LoadedAt => _snapshot?.At;

    public int Count => _snapshot?.Keys.Count ?? 0;

    /// <summary>Whether the id names a usable key whose secret matches (constant-time comparison of the hashes).</summary>
    public bool TryValidate(ReadOnlySpan<char> keyId, ReadOnlySpan<char> secret, [NotNullWhen(true)] out ValidIngestKey? key)
    {
        key = null;
        if (_snapshot is not { } snapshot || !snapshot.ById.TryGetValue(keyId, out var found) || !SecretToken.Matches(secret, found.SecretHash))
        {
            return false;
        }

        key = found;
        return true;
    }

    /// <summary>Reads the usable keys from PostgreSQL and swaps them in. Reloads run one at a time, so an older read never replaces a newer one.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloading.WaitAsync(cancellationToken);
        try
        {
            var at = clock.GetUtcNow();
            var keys = await store.LoadValidAsync(cancellationToken);
            _snapshot = new Snapshot(keys.ToFrozenDictionary(k => k.KeyId, Valid, StringComparer.Ordinal), at);
        }
        finally
        {
            _reloading.Release();
        }
    }

    public void Dispose() => _reloading.Dispose();

    private static ValidIngestKey Valid(StoredIngestKey key)
    {
        List<Claim> claims = [new(IngestKeyClaims.KeyId, key.KeyId), new(ClaimTypes.Name, $"ingest key {key.KeyId}")];
        if (key.Tag is not null)
        {
            claims.Add(new Claim(IngestKeyClaims.Tag, key.Tag));
        }

        return new ValidIngestKey(key.KeyId, key.Tag, key.SecretHash, new ClaimsPrincipal(new ClaimsIdentity(claims, IngestKeyAuthenticationHandler.SchemeName)));
    }

    private sealed class Snapshot(FrozenDictionary<string, ValidIngestKey> keys, DateTimeOffset at)
    {
        public FrozenDictionary<string, ValidIngestKey> Keys { get; } = keys;

        /// <summary>Looks up by a span of the request header: no string allocated per heartbeat.</summary>
        public FrozenDictionary<string, ValidIngestKey>.AlternateLookup<ReadOnlySpan<char>> ById { get; } = keys.GetAlternateLookup<ReadOnlySpan<char>>();

        public DateTimeOffset At { get; } = at;
    }
}
