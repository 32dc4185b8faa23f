using System.ComponentModel.DataAnnotations;

namespace FleetHealth.Server.Live;

/// <summary>Configuration section <c>Live</c>: the websocket feed of the dashboard.</summary>
public sealed class LiveOptions
{
    public const string Section = "Live";

    /// <summary>How often coalesced deltas go out (each client gets at most one batch per period).</summary>
    [Range(20, 10_000)]
    public int BatchMilliseconds { get; set; } = 250;

    /// <summary>Fleet counts per state are recounted at most this often, and only after a change.</summary>
    [Range(100, 60_000)]
    public int CountsMilliseconds { get; set; } = 1000;

    /// <summary>Most sensors one snapshot carries; the snapshot says when it was cut.</summary>
    [Range(1, 1_000_000)]
    public int SnapshotLimit { get; set; } = 100_000;

    /// <summary>Sensors per snapshot message (a large snapshot is sent in parts).</summary>
    [Range(100, 100_000)]
    public int SnapshotChunk { get; set; } = 5000;

    /// <summary>
    /// How often open connections' sessions are looked up again: a connection whose session has
    /// ended (signed out on any node, expired, operator disabled) is closed with 1008 within this time.
    /// </summary>
    [Range(1, 3600)]
    public int SessionCheckSeconds { get; set; } = 10;

    /// <summary>Messages waiting for a client; a client that lets this fill up is dropped.</summary>
    [Range(2, 100_000)]
    public int OutgoingQueueLength { get; set; } = 64;

    /// <summary>Largest client message; a bigger one closes the connection (1009).</summary>
    [Range(256, 1024 * 1024)]
    public int MaxClientMessageBytes { get; set; } = 4096;

    /// <summary>Invalid client messages answered with an error before the connection is closed (1008).</summary>
    [Range(1, 10_000)]
    public int MaxBadMessages { get; set; } = 20;

    /// <summary>Most websocket clients of this node; more get 503.</summary>
    [Range(1, 1_000_000)]
    public int MaxClients { get; set; } = 1000;

    /// <summary>Most transitions in one delta; older ones of the same period are counted as dropped.</summary>
    [Range(1, 100_000)]
    public int MaxTransitionsPerBatch { get; set; } = 500;

    /// <summary>Websocket ping interval (keeps proxies from cutting idle connections, finds dead peers).</summary>
    [Range(1, 3600)]
    public int KeepAliveSeconds { get; set; } = 20;
}
