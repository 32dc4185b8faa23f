namespace FleetHealth.Server.Auth;

/// <summary>Body of <c>POST /api/v1/auth/login</c>.</summary>
public sealed record LoginBody(string? User, string? Password);

/// <summary>Body of <c>POST /api/v1/auth/password</c>: a signed-in operator changes their own password.</summary>
public sealed record OwnPasswordBody(string? CurrentPassword, string? NewPassword);

/// <summary>Who is signed in: the answer of sign-in and of <c>GET /api/v1/auth/me</c>.</summary>
public sealed record CurrentOperator(string User, string Role);

/// <summary>An operator as the admin API shows it (never a password or its hash).</summary>
public sealed record OperatorView(string User, string Role, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? DisabledAt)
{
    public static OperatorView Of(OperatorAccount account) =>
        new(account.UserName, account.Role, account.CreatedAt, account.CreatedBy, account.DisabledAt);
}

public sealed record OperatorList(IReadOnlyList<OperatorView> Items);

/// <summary>Body of <c>POST /api/v1/operators</c>: without a password, one is generated and shown once.</summary>
public sealed record NewOperatorBody(string? User, string? Role, string? Password);

/// <summary>A new operator; <see cref="Password"/> is set only when the server generated it (shown this once).</summary>
public sealed record OperatorCreated(string User, string Role, DateTimeOffset CreatedAt, string CreatedBy, string? Password);

/// <summary>Body of <c>PATCH /api/v1/operators/{user}</c>: null fields stay as they are.</summary>
public sealed record OperatorChangeBody(string? Role, string? Password, bool? Disabled);
