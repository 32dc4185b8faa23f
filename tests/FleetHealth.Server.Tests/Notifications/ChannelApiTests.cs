using System.Net;
using System.Net.Http.Json;
using System.Text;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Notifications;
using FleetHealth.Server.Tests.Api;

namespace FleetHealth.Server.Tests.Notifications;

public sealed class ChannelApiTests(NotificationFactory factory) : IClassFixture<NotificationFactory>
{
    private readonly HttpClient _admin = factory.CreateClientAs(OperatorRoles.Admin);

    [Fact]
    public async Task A_webhook_channel_is_created_with_its_id_and_its_secret_is_never_shown_again()
    {
        var created = await _admin.CreateWebhookAsync("http://127.0.0.1:9/hook", secret: "s3cret-value-for-signing");

        Assert.True(created.Id > 0);
        Assert.True(created.HasSecret);
        var listed = await _admin.GetStringAsync("/api/v1/notifications/channels");
        var one = await _admin.GetStringAsync($"/api/v1/notifications/channels/{created.Id}");
        Assert.DoesNotContain("s3cret-value-for-signing", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value-for-signing", one, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:9/hook", one, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slack_channels_url_is_its_secret_and_shows_only_its_host()
    {
        var created = await _admin.CreateChannelAsync(new ChannelBody("slack", "slack", "http://127.0.0.1:9/services/T000/B000/XXXXSECRET", null, null, null, null, null, null, null, null));

        Assert.Equal("http://127.0.0.1:9/…", created.Url);
        Assert.DoesNotContain("XXXXSECRET", await _admin.GetStringAsync("/api/v1/notifications/channels"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_email_channel_takes_smtp_settings_with_defaults_and_hides_its_password()
    {
        var created = await _admin.CreateChannelAsync(new ChannelBody("mail", "email", null, null, "127.0.0.1", null, "starttls", "ops", "hunter2-password", "FleetHealth <fh@example.org>", ["ops@example.org"]));

        Assert.Equal((587, "starttls", true), (created.Port, created.Tls, created.HasSecret));
        Assert.DoesNotContain("hunter2-password", await _admin.GetStringAsync($"/api/v1/notifications/channels/{created.Id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_changes_only_the_fields_sent_and_keeps_the_secret()
    {
        var created = await _admin.CreateWebhookAsync("http://127.0.0.1:9/a", secret: "keep-me");

        using var patch = await _admin.PatchAsJsonAsync($"/api/v1/notifications/channels/{created.Id}", new { name = "renamed" });
        using var kind = await _admin.PatchAsJsonAsync($"/api/v1/notifications/channels/{created.Id}", new { kind = "email" });

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var view = (await patch.Content.ReadFromJsonAsync<ChannelView>())!;
        Assert.Equal(("renamed", "http://127.0.0.1:9/a", true), (view.Name, view.Url, view.HasSecret));
        Assert.Contains("cannot change", await ApiAssertions.AssertFieldErrorAsync(kind, "kind"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_channel_is_204_then_404()
    {
        var created = await _admin.CreateWebhookAsync("http://127.0.0.1:9/gone");

        using var first = await _admin.DeleteAsync($"/api/v1/notifications/channels/{created.Id}");
        using var second = await _admin.DeleteAsync($"/api/v1/notifications/channels/{created.Id}");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        await ApiAssertions.AssertProblemAsync(second, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"name": "x", "kind": "pager"}""", "kind")]
    [InlineData("""{"kind": "webhook", "url": "http://127.0.0.1:9/"}""", "name")]
    [InlineData("""{"name": "x", "kind": "webhook", "url": "ftp://127.0.0.1/"}""", "url")]
    [InlineData("""{"name": "x", "kind": "webhook", "url": "not a url"}""", "url")]
    [InlineData("""{"name": "x", "kind": "webhook", "url": "http://user:pw@127.0.0.1:9/"}""", "url")]
    [InlineData("""{"name": "x", "kind": "webhook", "url": "http://10.1.2.3/hook"}""", "url")]
    [InlineData("""{"name": "x", "kind": "webhook", "url": "http://169.254.169.254/latest/meta-data"}""", "url")]
    [InlineData("""{"name": "x", "kind": "webhook", "url": "http://does-not-resolve.invalid/"}""", "url")]
    [InlineData("""{"name": "x", "kind": "slack", "url": "http://127.0.0.1:9/", "secret": "s"}""", "secret")]
    [InlineData("""{"name": "x", "kind": "email", "host": "127.0.0.1", "from": "not an address", "to": ["a@b.c"]}""", "from")]
    [InlineData("""{"name": "x", "kind": "email", "host": "127.0.0.1", "from": "a@b.c", "to": []}""", "to")]
    [InlineData("""{"name": "x", "kind": "email", "host": "127.0.0.1", "from": "a@b.c", "to": ["a@b.c"], "tls": "ssl3"}""", "tls")]
    [InlineData("""{"name": "x", "kind": "email", "host": "127.0.0.1", "port": 70000, "from": "a@b.c", "to": ["a@b.c"]}""", "port")]
    [InlineData("""{"name": "x", "kind": "webhook", "url": 5}""", "body")]
    [InlineData("""{"name": "x", """, "body")]
    [InlineData("""[]""", "body")]
    public async Task A_bad_channel_is_400_naming_the_field(string json, string field)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await _admin.PostAsync("/api/v1/notifications/channels", content);

        await ApiAssertions.AssertFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task An_oversized_body_is_413_and_a_bad_id_400()
    {
        using var big = new StringContent($$"""{"name": "{{new string('x', 20_000)}}"}""", Encoding.UTF8, "application/json");

        using var response = await _admin.PostAsync("/api/v1/notifications/channels", big);
        using var badId = await _admin.GetAsync("/api/v1/notifications/channels/abc");
        using var unknown = await _admin.GetAsync("/api/v1/notifications/channels/999999");

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await ApiAssertions.AssertFieldErrorAsync(badId, "id");
        await ApiAssertions.AssertProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(OperatorRoles.Operator)]
    [InlineData(OperatorRoles.Viewer)]
    public async Task Only_admins_see_or_make_channels(string role)
    {
        var client = factory.CreateClientAs(role);

        using var list = await client.GetAsync("/api/v1/notifications/channels");
        using var create = await client.PostAsJsonAsync("/api/v1/notifications/channels", NotificationApi.Webhook("http://127.0.0.1:9/"));

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (list.StatusCode, create.StatusCode));
    }
}
