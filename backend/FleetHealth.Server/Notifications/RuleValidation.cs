using FleetHealth.Domain.Notifications;
using FleetHealth.Domain.Sensors;

namespace FleetHealth.Server.Notifications;

/// <summary>A rule body's field errors, or the rule to store.</summary>
internal static class RuleValidation
{
    public const double DefaultGroupWaitSeconds = 30;
    public const double DefaultGroupIntervalSeconds = 300;
    public const double DefaultRepeatIntervalSeconds = 4 * 3600;
    public const int MaxChannels = 20;

    public static (RuleDefinition? Rule, Dictionary<string, string[]> Errors) Validate(RuleBody body)
    {
        var errors = new Dictionary<string, string[]>();
        var name = body.Name?.Trim();
        if (name is not { Length: > 0 and <= 100 } || name.Any(char.IsControl))
        {
            errors["name"] = ["A rule's name is 1 to 100 characters without control characters."];
        }

        if (body.Transitions is not { Count: > 0 } transitions || transitions.Any(t => t is null || !TransitionKinds.All.Contains(t)))
        {
            errors["transitions"] = [$"transitions is a non-empty list of: {string.Join(", ", TransitionKinds.All)}."];
        }

        if (body.Tag is not null && !SensorTag.IsValid(body.Tag, out var tagError))
        {
            errors["tag"] = [tagError];
        }

        if (body.Channels is not { Count: > 0 and <= MaxChannels } channels || channels.Any(c => c <= 0))
        {
            errors["channels"] = [$"channels is a list of 1 to {MaxChannels} channel ids."];
        }

        var wait = Seconds(body.GroupWaitSeconds, DefaultGroupWaitSeconds, 0, 86400, "groupWaitSeconds", errors);
        var interval = Seconds(body.GroupIntervalSeconds, DefaultGroupIntervalSeconds, 1, 604800, "groupIntervalSeconds", errors);
        var repeat = Seconds(body.RepeatIntervalSeconds, DefaultRepeatIntervalSeconds, 1, 2592000, "repeatIntervalSeconds", errors);
        return errors.Count > 0
            ? (null, errors)
            : (new RuleDefinition(name!, [.. body.Transitions!.Distinct(StringComparer.Ordinal)], body.Tag, [.. body.Channels!.Distinct()], wait, interval, repeat), errors);
    }

    private static double Seconds(double? value, double fallback, double min, double max, string field, Dictionary<string, string[]> errors)
    {
        var seconds = value ?? fallback;
        if (!double.IsFinite(seconds) || seconds < min || seconds > max)
        {
            errors[field] = [$"{field} is {min} to {max} seconds."];
        }

        return seconds;
    }
}
