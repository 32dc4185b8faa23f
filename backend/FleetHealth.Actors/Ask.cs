namespace FleetHealth.Actors;

/// <summary>Request-response with an actor: <c>Ask</c>.</summary>
public static class ActorRefExtensions
{
    /// <summary>
    /// Sends <paramref name="message"/> with a temporary reply-to reference as its sender and returns
    /// the first message told to that reference. Fails with <see cref="TimeoutException"/> after
    /// <paramref name="timeout"/> (real time), with <see cref="ActorNotAvailableException"/> at once when
    /// the actor is stopped or fails while handling the message, and with the cause when the reply is a
    /// <see cref="Status.Failure"/>. A persistent actor that replies from its Persist handler makes the
    /// ask complete only after the event is durable.
    /// </summary>
    public static async Task<object> Ask(this IActorRef target, object message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var reply = new AskRef(target.Id);
        target.Tell(message, reply);
        var result = await reply.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        return result is Status.Failure failure ? throw failure.Cause : result;
    }

    /// <summary>As <see cref="Ask(IActorRef, object, TimeSpan, CancellationToken)"/>, and the reply must be a <typeparamref name="T"/>.</summary>
    public static async Task<T> Ask<T>(this IActorRef target, object message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var result = await Ask(target, message, timeout, cancellationToken).ConfigureAwait(false);
        return result is T typed
            ? typed
            : throw new InvalidCastException($"Asked '{target.Id}' for a {typeof(T).Name} but got a {result.GetType().Name}.");
    }
}

/// <summary>The temporary sender of an ask: completes its task with the first reply.</summary>
internal sealed class AskRef(string targetId) : IActorRef
{
    private readonly TaskCompletionSource<object> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id => $"ask:{targetId}";

    public Task<object> Task => _reply.Task;

    public void Tell(object message, IActorRef? sender = null) => _reply.TrySetResult(message);

    public void Fail(Exception exception) => _reply.TrySetException(exception);
}
