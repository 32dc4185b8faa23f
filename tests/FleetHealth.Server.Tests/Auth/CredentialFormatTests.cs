using FleetHealth.Server.Auth;
using FleetHealth.Server.IngestKeys;

namespace FleetHealth.Server.Tests.Auth;

public sealed class CredentialFormatTests
{
    [Fact]
    public void A_generated_key_parses_back_into_its_id_and_a_secret_that_matches_its_hash()
    {
        var (keyId, key, hash) = IngestKeyFormat.Generate();

        Assert.True(IngestKeyFormat.TryParse(key, out var id, out var secret));
        Assert.Equal(keyId, id.ToString());
        Assert.True(SecretToken.Matches(secret, hash));
        Assert.False(SecretToken.Matches(secret[..^1].ToString() + (secret[^1] == 'A' ? "B" : "A"), hash));
    }

    [Fact]
    public void Generated_keys_and_tokens_differ_every_time()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => IngestKeyFormat.Generate().Key).ToHashSet();
        var tokens = Enumerable.Range(0, 1000).Select(_ => SecretToken.Create()).ToHashSet();

        Assert.Equal(1000, keys.Count);
        Assert.Equal(1000, tokens.Count);
        Assert.All(tokens, t => Assert.True(SecretToken.IsWellFormed(t)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("fhk_")]
    [InlineData("fhx_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("fhk_0123456789ab-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("fhk_0123456789aZ_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("fhk_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("fhk_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("FHK_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Anything_but_the_exact_key_shape_is_refused_before_any_lookup(string text) =>
        Assert.False(IngestKeyFormat.TryParse(text, out _, out _));

    [Theory]
    [InlineData("Admin", "admin")]
    [InlineData("ops.team_1@site-a", "ops.team_1@site-a")]
    public void User_names_fold_to_lower_case(string text, string stored)
    {
        Assert.True(OperatorName.TryNormalize(text, out var name, out _));
        Assert.Equal(stored, name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("with space")]
    [InlineData("\u212Aelvin")]
    [InlineData("caf\u00e9")]
    [InlineData("line\nbreak")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123x")]
    public void User_names_outside_the_alphabet_or_length_are_refused(string? text)
    {
        Assert.False(OperatorName.TryNormalize(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("short", false)]
    [InlineData("            ", false)]
    [InlineData("twelve chars", true)]
    [InlineData("pässwörd mit ümläuten", true)]
    public void New_passwords_need_twelve_characters(string password, bool acceptable) =>
        Assert.Equal(acceptable, Passwords.IsAcceptable(password, out _));

    [Fact]
    public void Generated_passwords_are_acceptable_and_safe_unquoted()
    {
        var password = Passwords.Generate();

        Assert.True(Passwords.IsAcceptable(password, out _));
        Assert.Matches("^[A-Za-z0-9]{24}$", password);
    }

    [Fact]
    public async Task A_password_hash_verifies_only_its_password_and_an_unknown_user_is_always_wrong()
    {
        using var passwords = new Passwords();
        var hash = await passwords.HashAsync("the right password", CancellationToken.None);

        Assert.Equal(PasswordCheck.Right, await passwords.VerifyAsync(hash, "the right password", CancellationToken.None));
        Assert.Equal(PasswordCheck.Wrong, await passwords.VerifyAsync(hash, "the wrong password", CancellationToken.None));
        Assert.Equal(PasswordCheck.Wrong, await passwords.VerifyAsync(null, "the right password", CancellationToken.None));
        Assert.DoesNotContain("the right password", hash, StringComparison.Ordinal);
    }
}
