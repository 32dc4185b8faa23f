using Akka.Actor;
using Akka.Configuration;
using FleetHealth.Server.Projection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace FleetHealth.Server.Tests.Projection;

/// <summary>The projection gets the Akka feed (<see cref="AkkaJournalFeedServiceExtensions.AddAkkaJournalFeed"/>) whether it is added before or after the projection.</summary>
public sealed class AkkaJournalFeedRegistrationTests : IAsyncLifetime
{
    private readonly ActorSystem _system = ActorSystem.Create("registration", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
    private readonly Npgsql.NpgsqlDataSource _unused = Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1;Database=unused");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_projection_reads_the_Akka_feed_whether_it_is_added_before_or_after_the_projection(bool akkaFirst) =>
        Assert.IsType<AkkaJournalFeed>(Resolve(akkaFirst));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _unused.DisposeAsync();
        await _system.Terminate();
    }

    /// <param name="akkaFirst">True: the feed added before the projection; false: after.</param>
    private IJournalFeed Resolve(bool akkaFirst)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton(_system);
        if (akkaFirst)
        {
            builder.Services.AddAkkaJournalFeed();
        }

        builder.AddProjection();
        if (!akkaFirst)
        {
            builder.Services.AddAkkaJournalFeed();
        }

        // Resolving a feed connects to nothing.
        builder.Services.AddSingleton(_unused);
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IJournalFeed>();
    }
}
