using System.Text.RegularExpressions;

namespace FleetHealth.Server.Analytics;

/// <summary>A query's description, read from the comment it opens with.</summary>
public static partial class QueryDescription
{
    /// <summary>
    /// The first sentence of the leading <c>--</c> comment, its lines joined, without the item number
    /// ("3. ", "4a. "); null when there is none. A sentence ends at a full stop followed by a capital
    /// or by the end of the comment, so "fleethealth.as_of" or "e.g. a site" do not end it.
    /// </summary>
    public static string? FirstSentence(string sql)
    {
        var lines = sql.Split('\n').Select(l => l.Trim()).TakeWhile(l => l.StartsWith("--", StringComparison.Ordinal)).Select(l => l.TrimStart('-').Trim());
        var text = Number().Replace(string.Join(' ', lines.Where(l => l.Length > 0)), "");
        if (text.Length == 0)
        {
            return null;
        }

        var end = SentenceEnd().Match(text);
        return end.Success ? text[..(end.Index + 1)] : text;
    }

    [GeneratedRegex(@"^\d+[a-z]?\.\s+")]
    private static partial Regex Number();

    [GeneratedRegex(@"\.(?=\s+\p{Lu}|\s*$)")]
    private static partial Regex SentenceEnd();
}
