namespace FleetHealth.Simulator;

/// <summary>How one delivery attempt of a group of beats ended.</summary>
internal enum Delivery
{
    /// <summary>Acknowledged (HTTP 202): durable on the server.</summary>
    Delivered,

    /// <summary>Server unreachable, 5xx or 429: keep the beats and try again later.</summary>
    Retry,

    /// <summary>Refused for good (4xx other than 429): logged and dropped.</summary>
    Rejected,
}

/// <summary>Sends beats to the server over one channel (HTTP or a serial line).</summary>
internal interface IBeatTransport : IAsyncDisposable
{
    /// <summary>Beats per request: 1 for single-beat requests and serial lines.</summary>
    int MaxBatch { get; }

    /// <summary>Sends <paramref name="beats"/> (at most <see cref="MaxBatch"/>) as one unit; one outcome per beat, in order.</summary>
    Task<Delivery[]> SendAsync(IReadOnlyList<Beat> beats, CancellationToken cancellationToken);
}
