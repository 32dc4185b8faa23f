using System.Text;
using FleetHealth.Domain.Serial;

namespace FleetHealth.Domain.Tests.Serial;

public class LineFramerTests
{
    private static List<string?> Feed(LineFramer framer, params string[] chunks)
    {
        var output = new List<FramedLine>();
        foreach (var chunk in chunks)
        {
            framer.Feed(Encoding.ASCII.GetBytes(chunk), output);
        }

        return [.. output.Select(l => l.IsOverlong ? null : Encoding.ASCII.GetString(l.Bytes!))];
    }

    [Fact]
    public void Lines_split_across_reads_are_joined()
    {
        var lines = Feed(new LineFramer(), "HB s", "1 seq=1\nHB s2", "\n", "HB s3");
        Assert.Equal(["HB s1 seq=1", "HB s2"], lines);
    }

    [Fact]
    public void A_partial_line_completes_on_a_later_read()
    {
        var framer = new LineFramer();
        Assert.Empty(Feed(framer, "HB s3"));
        Assert.Equal(["HB s3"], Feed(framer, "\n"));
    }

    [Fact]
    public void Crlf_and_lf_line_ends_are_both_accepted() =>
        Assert.Equal(["a", "b", "", "c"], Feed(new LineFramer(), "a\r\nb\n\r\nc\n"));

    [Fact]
    public void An_overlong_line_is_reported_once_and_discarded_up_to_the_next_newline()
    {
        var framer = new LineFramer(8);
        var lines = Feed(framer, "0123456789", "abcdef", "ghi\nHB ok\n");
        Assert.Equal([null, "HB ok"], lines);
    }

    [Fact]
    public void A_line_of_exactly_the_maximum_passes_even_with_crlf()
    {
        var framer = new LineFramer(8);
        Assert.Equal(["12345678", "12345678"], Feed(framer, "12345678\n12345678\r\n"));
        Assert.Equal([null], Feed(framer, "123456789\n"));
        Assert.Equal([null], Feed(framer, "123456789\r\n"));
    }

    [Fact]
    public void Reset_forgets_a_partial_line()
    {
        var framer = new LineFramer();
        Feed(framer, "HB half");
        framer.Reset();
        Assert.Equal(["HB whole"], Feed(framer, "HB whole\n"));
    }
}
