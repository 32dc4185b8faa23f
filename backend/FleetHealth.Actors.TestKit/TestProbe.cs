using System.Threading.Channels;
using Xunit;

namespace FleetHealth.Actors.TestKit;

/// <summary>
/// An <see cref="IActorRef"/> that records what it is told, for assertions. Waits are in real time
/// with a deadline (actors run on other threads), never fixed sleeps: <c>ExpectMsgAsync</c> returns as
/// soon as the message arrives, <see cref="ExpectNoMsgAsync"/> as soon as the system is quiescent.
/// </summary>
public sealed class TestProbe : IActorRef
{
    /// <summary>Default wait for an expected message: generous, because machines running tests are shared.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(5);

    private readonly ActorSystem _system;
    private readonly Channel<(object Message, IActorRef? Sender)> _received = Channel.CreateUnbounded<(object, IActorRef?)>();

    /// <summary>A probe watching <paramref name="system"/> (for quiescence).</summary>
    public TestProbe(ActorSystem system, string id = "probe")
    {
        _system = system;
        Id = id;
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <summary>The sender of the last message received through an Expect/Receive call.</summary>
    public IActorRef? LastSender { get; private set; }

    /// <inheritdoc />
    public void Tell(object message, IActorRef? sender = null) => _received.Writer.TryWrite((message, sender));

    /// <summary>The next message, whatever it is; fails after <paramref name="within"/>.</summary>
    public async Task<object> ReceiveOneAsync(TimeSpan? within = null)
    {
        var wait = within ?? DefaultWait;
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            var (message, sender) = await _received.Reader.ReadAsync(timeout.Token);
            LastSender = sender;
            return message;
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{Id}: no message within {wait}.");
            throw;
        }
    }

    /// <summary>The next message, which must be a <typeparamref name="T"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(TimeSpan? within = null)
    {
        var message = await ReceiveOneAsync(within);
        return message is T typed ? typed : throw new Xunit.Sdk.XunitException($"{Id}: expected a {typeof(T).Name} but got {message}.");
    }

    /// <summary>The next message, which must equal <paramref name="expected"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? within = null)
        where T : notnull
    {
        var message = await ExpectMsgAsync<T>(within);
        Assert.Equal(expected, message);
        return message;
    }

    /// <summary>The next message, which must be a <typeparamref name="T"/> matching <paramref name="predicate"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(Func<T, bool> predicate, TimeSpan? within = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var message = await ExpectMsgAsync<T>(within);
        return predicate(message) ? message : throw new Xunit.Sdk.XunitException($"{Id}: {message} does not match the expectation.");
    }

    /// <summary>The next <paramref name="count"/> messages, in order.</summary>
    public async Task<IReadOnlyList<object>> ReceiveNAsync(int count, TimeSpan? within = null)
    {
        var messages = new List<object>(count);
        for (var i = 0; i < count; i++)
        {
            messages.Add(await ReceiveOneAsync(within));
        }

        return messages;
    }

    /// <summary>
    /// Asserts that nothing arrives: waits until the actor system has no queued messages and no journal
    /// work in flight (at most <paramref name="within"/>), then checks that nothing was received.
    /// </summary>
    public async Task ExpectNoMsgAsync(TimeSpan? within = null)
    {
        await _system.WhenQuiescentAsync(within ?? DefaultWait);
        if (_received.Reader.TryRead(out var unexpected))
        {
            Assert.Fail($"{Id}: expected no message but got {unexpected.Message}.");
        }
    }
}
