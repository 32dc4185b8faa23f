using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.Notifications;

/// <summary>Ids in paths and queries: positive integers, else a 400 naming the field.</summary>
internal static class NotificationIds
{
    public static bool TryParse(string raw, out long id, out ValidationProblem problem, string field = "id")
    {
        var ok = long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;
        problem = TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"{field} is a positive integer."] }, title: "Bad id");
        return ok;
    }
}
