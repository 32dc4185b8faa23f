using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Auth;
using FleetHealth.Server.IngestKeys;
using FleetHealth.Server.Tests.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace FleetHealth.Server.Tests.Auth;

/// <summary>Keeps every log line of every category at every level, for tests that look for leaks.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public string Text => string.Join('\n', Lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            provider.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {values} {exception}");
        }
    }
}

/// <summary>The server with every log line captured at trace level.</summary>
public sealed class LogCapturingFactory : FleetHealthFactory
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace));
    }
}

/// <summary>Passwords, session tokens and key secrets never reach a log line, and never come back in an answer after the one that hands them out.</summary>
public sealed class SecretsTests(LogCapturingFactory factory) : IClassFixture<LogCapturingFactory>
{
    [Fact]
    public async Task No_password_token_or_key_secret_is_logged_or_shown_again()
    {
        const string password = "Sup3r-Secret-Pass-Phrase-XYZ";
        const string wrong = "Wr0ng-Guess-Phrase-QQQ";
        const string chosen = "Chosen-Secret-Phrase-777";
        const string changed = "Changed-Secret-Phrase-888";
        var user = await factory.CreateOperatorAsync(OperatorRoles.Admin, password: password);
        using var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, wrong))).StatusCode);
        var session = await factory.SignInAsync(user, password);
        using var admin = factory.CreateAuthenticatedClient(session: session);

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/operators", new NewOperatorBody("chosen-one", OperatorRoles.Viewer, chosen))).StatusCode);
        var generated = (await (await admin.PostAsJsonAsync("/api/v1/operators", new NewOperatorBody("generated-one", OperatorRoles.Viewer, null))).Content.ReadFromJsonAsync<OperatorCreated>())!.Password!;
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync("/api/v1/operators/chosen-one", new OperatorChangeBody(null, changed, null))).StatusCode);
        var key = (await (await admin.PostAsJsonAsync("/api/v1/ingest-keys", new NewIngestKeyBody("leak check", null))).Content.ReadFromJsonAsync<IngestKeyCreated>())!.Key;
        var secret = key[(IngestKeyFormat.Prefix.Length + IngestKeyFormat.KeyIdLength + 1)..];
        using var sensor = factory.CreateAuthenticatedClient(ingestKey: key);
        Assert.Equal(HttpStatusCode.Accepted, (await sensor.PostAsync("/api/v1/heartbeats/leak-1", null)).StatusCode);
        using var forged = factory.CreateAuthenticatedClient(ingestKey: key[..^3] + "zzz");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.PostAsync("/api/v1/heartbeats/leak-1", null)).StatusCode);

        var shownAgain = string.Join('\n',
            await admin.GetStringAsync("/api/v1/operators"),
            await admin.GetStringAsync("/api/v1/ingest-keys"),
            await admin.GetStringAsync("/api/v1/auth/me"));
        string[] secrets = [password, wrong, chosen, changed, generated, secret, session];
        Assert.Contains("signed in", factory.Logs.Text, StringComparison.Ordinal);
        Assert.Contains("Sign-in refused", factory.Logs.Text, StringComparison.Ordinal);
        foreach (var value in secrets)
        {
            Assert.DoesNotContain(value, factory.Logs.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(value, shownAgain, StringComparison.Ordinal);
        }

        await using var stored = factory.DataSource.CreateCommand(
            "SELECT string_agg(password_hash, ' ') || ' ' || (SELECT coalesce(string_agg(encode(token_hash, 'escape'), ' '), '') FROM operator_sessions) FROM operators");
        var database = (string)(await stored.ExecuteScalarAsync())!;
        Assert.All(secrets, value => Assert.DoesNotContain(value, database, StringComparison.Ordinal));
    }
}
