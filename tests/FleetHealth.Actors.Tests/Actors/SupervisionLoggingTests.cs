using FleetHealth.Actors.Tests.Support;
using FleetHealth.Actors.TestKit;
using Microsoft.Extensions.Logging;

namespace FleetHealth.Actors.Tests.Actors;

public sealed class SupervisionLoggingTests : ActorTestKit
{
    private readonly ListLoggerFactory _logs;

    public SupervisionLoggingTests() : this(new ListLoggerFactory())
    {
    }

    private SupervisionLoggingTests(ListLoggerFactory logs) : base(new ActorSystemSettings { LoggerFactory = logs }) => _logs = logs;

    private sealed class Failing : ActorBase
    {
        protected override void OnReceive(object message) =>
            throw new InvalidOperationException($"cannot handle {message}");
    }

    private sealed class Replier : ActorBase
    {
        protected override void OnReceive(object message) =>
            Sender.Tell(new Status.Failure(new ArgumentException("bad request")), Self);
    }

    [Fact]
    public async Task A_failure_is_logged_as_an_error_with_its_exception_and_the_actor_keeps_serving()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Failing()), "fragile");

        actor.Tell("first");
        actor.Tell("second");
        await AwaitQuiescenceAsync();

        var errors = _logs.Entries.Where(e => e.Level == LogLevel.Error).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Contains("fragile", e.Message, StringComparison.Ordinal));
        Assert.IsType<InvalidOperationException>(errors[0].Exception);
        Assert.Equal(2, Sys.Restarts);
        Assert.True(Sys.TryGet("fragile", out _));
    }

    [Fact]
    public async Task A_Status_Failure_reply_fails_the_ask_with_its_cause()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Replier()));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => actor.Ask<string>("anything", TimeSpan.FromSeconds(5)));

        Assert.Equal("bad request", error.Message);
    }
}
