using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FleetHealth.Actors.Persistence;

/// <summary>
/// Serializes events and snapshots with System.Text.Json source-generated metadata (no reflection
/// on the hot path) and names each type by a manifest, a stable string stored next to the payload.
/// </summary>
/// <remarks>
/// Evolution: the manifest, not the CLR type name, selects the type on load, so types can be renamed
/// or moved. A type that gains a property still loads its old events (the property takes its default);
/// a type replaced by a new one keeps loading old events via <see cref="Alias{T}"/>. Register every
/// type before the system persists it; registration is thread-safe and lookups are lock-free.
/// </remarks>
public sealed class EventSerializer
{
    private readonly Lock _lock = new();
    private Dictionary<Type, Binding> _byType = [];
    private Dictionary<string, Binding> _byManifest = new(StringComparer.Ordinal);

    /// <summary>Registers <typeparamref name="T"/> under <paramref name="manifest"/> with its source-generated metadata.</summary>
    /// <param name="manifest">Stable name, e.g. <c>sensor.heartbeat</c>; never reuse one for an incompatible type.</param>
    /// <param name="typeInfo">From a <c>JsonSerializerContext</c>, e.g. <c>MyContext.Default.Heartbeat</c>.</param>
    public EventSerializer Register<T>(string manifest, JsonTypeInfo<T> typeInfo)
        where T : notnull
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manifest);
        ArgumentNullException.ThrowIfNull(typeInfo);
        var binding = new Binding<T>(manifest, typeInfo);
        lock (_lock)
        {
            if (_byManifest.TryGetValue(manifest, out var existing) && existing.Type != typeof(T))
            {
                throw new InvalidOperationException($"Manifest '{manifest}' is already bound to {existing.Type.Name}.");
            }

            _byType = new Dictionary<Type, Binding>(_byType) { [typeof(T)] = binding };
            _byManifest = new Dictionary<string, Binding>(_byManifest, StringComparer.Ordinal) { [manifest] = binding };
        }

        return this;
    }

    /// <summary>Makes events stored under <paramref name="oldManifest"/> load as the registered <typeparamref name="T"/>.</summary>
    public EventSerializer Alias<T>(string oldManifest)
        where T : notnull
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(oldManifest);
        lock (_lock)
        {
            if (!_byType.TryGetValue(typeof(T), out var binding))
            {
                throw new InvalidOperationException($"Register {typeof(T).Name} before aliasing it.");
            }

            _byManifest = new Dictionary<string, Binding>(_byManifest, StringComparer.Ordinal) { [oldManifest] = binding };
        }

        return this;
    }

    /// <summary>UTF-8 JSON of <paramref name="value"/> and its manifest.</summary>
    /// <exception cref="InvalidOperationException">The type is not registered.</exception>
    public byte[] Serialize(object value, out string manifest)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!Volatile.Read(ref _byType).TryGetValue(value.GetType(), out var binding))
        {
            throw new InvalidOperationException($"{value.GetType().Name} is not registered with the EventSerializer.");
        }

        manifest = binding.Manifest;
        return binding.Serialize(value);
    }

    /// <summary>The object stored under <paramref name="manifest"/>.</summary>
    /// <exception cref="InvalidOperationException">The manifest is unknown.</exception>
    public object Deserialize(string manifest, ReadOnlySpan<byte> payload)
    {
        if (!Volatile.Read(ref _byManifest).TryGetValue(manifest, out var binding))
        {
            throw new InvalidOperationException($"No type is registered for manifest '{manifest}'.");
        }

        return binding.Deserialize(payload);
    }

    private abstract class Binding(string manifest, Type type)
    {
        public string Manifest { get; } = manifest;

        public Type Type { get; } = type;

        public abstract byte[] Serialize(object value);

        public abstract object Deserialize(ReadOnlySpan<byte> payload);
    }

    private sealed class Binding<T>(string manifest, JsonTypeInfo<T> typeInfo) : Binding(manifest, typeof(T))
        where T : notnull
    {
        public override byte[] Serialize(object value) => JsonSerializer.SerializeToUtf8Bytes((T)value, typeInfo);

        public override object Deserialize(ReadOnlySpan<byte> payload) =>
            JsonSerializer.Deserialize(payload, typeInfo) ?? throw new InvalidOperationException($"Payload of '{Manifest}' is null.");
    }
}
