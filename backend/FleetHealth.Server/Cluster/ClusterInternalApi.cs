using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FleetHealth.Actors;
using FleetHealth.Actors.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace FleetHealth.Server.Cluster;

/// <summary>
/// The internal endpoint other nodes forward to: <c>POST /internal/v1/entities/{entityId}</c> with
/// the message as JSON and its manifest in a header. Served only on the internal port (a separate
/// Kestrel, HTTP/2 only), and only to callers that present the cluster secret.
/// </summary>
internal static class ClusterInternalApi
{
    public const int MaxPayloadBytes = 1024 * 1024;

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static RouteGroupBuilder MapClusterInternalApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/internal/v1").WithTags("Cluster").AddEndpointFilter(RequireSecretAsync);
        group.MapPost("/entities/{entityId}", DeliverAsync);
        return group;
    }

    /// <summary>
    /// 200 with the actor's reply (and its manifest) once the actor replied, i.e. after its events
    /// are durable; 204 for a resident-only ask of an entity not in memory; 421 when this node does
    /// not serve the shard (the sender asks again); 503 when the actor could not make it durable
    /// in time; 400 naming the bad part of the request.
    /// </summary>
    internal static async Task<Results<FileContentHttpResult, NoContent, ProblemHttpResult, ValidationProblem>> DeliverAsync(
        string entityId,
        HttpRequest request,
        ShardRegion region,
        IShardedEntities entities,
        ClusterMessageSerializer serializer,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!entities.IsValidEntityId(entityId, out var idError))
        {
            errors["entityId"] = [idError!];
        }

        var manifest = request.Headers[ClusterTransport.ManifestHeader].ToString();
        if (manifest.Length == 0)
        {
            errors["manifest"] = [$"The {ClusterTransport.ManifestHeader} header names the message type."];
        }

        var timeout = DefaultTimeout; // senders always send their remaining time
        if (request.Headers.TryGetValue(ClusterTransport.TimeoutHeader, out var timeoutText))
        {
            if (long.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is > 0 and <= 600_000)
            {
                timeout = TimeSpan.FromMilliseconds(ms);
            }
            else
            {
                errors["timeout"] = [$"{ClusterTransport.TimeoutHeader} must be 1 to 600000 milliseconds."];
            }
        }

        var payload = await ReadBoundedAsync(request, cancellationToken);
        if (payload is null)
        {
            return TypedResults.Problem($"A message is at most {MaxPayloadBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Message too large");
        }

        object? message = null;
        if (errors.Count == 0 && (message = serializer.TryDeserialize(manifest, payload, out var payloadError)) is null)
        {
            errors["payload"] = [payloadError ?? "The payload does not match its manifest."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Bad cluster message");
        }

        LocalReply? delivered;
        try
        {
            delivered = await region.DeliverForwardedAsync(entityId, message!, request.Headers.ContainsKey(ClusterTransport.ResidentOnlyHeader), timeout, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or ActorNotAvailableException or NpgsqlException or JournalConflictException)
        {
            return TypedResults.Problem($"Not durable in time: {e.Message}", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Unavailable");
        }

        if (delivered is null)
        {
            return TypedResults.Problem("This node does not serve the entity's shard now; ask its owner.", statusCode: ClusterTransport.MisdirectedStatus, title: "Not the owner");
        }

        if (delivered.Reply is null)
        {
            return TypedResults.NoContent();
        }

        var reply = serializer.Serialize(delivered.Reply, out var replyManifest);
        request.HttpContext.Response.Headers[ClusterTransport.ManifestHeader] = replyManifest;
        return TypedResults.Bytes(reply, "application/json");
    }

    /// <summary>Every internal request must carry the cluster secret (compared in constant time).</summary>
    private static async ValueTask<object?> RequireSecretAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var node = context.HttpContext.RequestServices.GetRequiredService<ClusterNode>();
        var presented = context.HttpContext.Request.Headers[ClusterTransport.SecretHeader].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(node.Secret)))
        {
            return TypedResults.Problem("The cluster secret is missing or wrong.", statusCode: StatusCodes.Status401Unauthorized, title: "Not a cluster member");
        }

        return await next(context);
    }

    private static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxPayloadBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxPayloadBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
