using Akka.Actor;
using Akka.Configuration;
using FleetHealth.Actors.Persistence;
using FleetHealth.Server.Projection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace FleetHealth.Server.Tests.Projection;

/// <summary>Which feed the projection gets: the polled journal by default, the Akka feed once <see cref="AkkaJournalFeedServiceExtensions.AddAkkaJournalFeed"/> is called, in either order.</summary>
public sealed class AkkaJournalFeedRegistrationTests : IAsyncLifetime
{
    private readonly ActorSystem _system = ActorSystem.Create("registration", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
    private readonly Npgsql.NpgsqlDataSource _unused = Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1;Database=unused");

    [Fact]
    public void Without_the_Akka_feed_the_projection_polls_the_journal_table() =>
        Assert.IsType<PolledJournalFeed>(Resolve(akkaFirst: null));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_Akka_feed_replaces_the_polled_one_whether_added_before_or_after_the_projection(bool akkaFirst) =>
        Assert.IsType<AkkaJournalFeed>(Resolve(akkaFirst));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _unused.DisposeAsync();
        await _system.Terminate();
    }

    /// <param name="akkaFirst">Null: no Akka feed; true: added before the projection; false: after.</param>
    private IJournalFeed Resolve(bool? akkaFirst)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton(_system);
        builder.Services.AddSingleton(new EventSerializer());
        if (akkaFirst == true)
        {
            builder.Services.AddAkkaJournalFeed();
        }

        builder.AddProjection();
        if (akkaFirst == false)
        {
            builder.Services.AddAkkaJournalFeed();
        }

        // Resolving a feed connects to nothing.
        builder.Services.AddSingleton(_unused);
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IJournalFeed>();
    }
}
