using FleetHealth.Server.Analytics;

namespace FleetHealth.Server.Tests.Analytics;

public sealed class QueryDescriptionTests
{
    [Fact]
    public void The_description_is_the_first_sentence_of_the_leading_comment_across_its_lines()
    {
        const string sql = """
            -- 4a. Share of sensors silent at fleethealth.as_of (default now), per tag, e.g. a site,
            --     and for the fleet.
            --     Tags are today's.
            SELECT 1;
            """;

        Assert.Equal("Share of sensors silent at fleethealth.as_of (default now), per tag, e.g. a site, and for the fleet.", QueryDescription.FirstSentence(sql));
    }

    [Fact]
    public void A_comment_without_a_full_stop_is_taken_whole_and_a_query_without_one_has_none()
    {
        Assert.Equal("Counts sensors", QueryDescription.FirstSentence("-- Counts sensors\nSELECT 1;"));
        Assert.Null(QueryDescription.FirstSentence("SELECT 1; -- no"));
    }
}
