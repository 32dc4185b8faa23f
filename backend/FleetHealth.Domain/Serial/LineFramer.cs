namespace FleetHealth.Domain.Serial;

/// <summary>One framed line: its bytes without the line end, or the marker of an overlong line that was cut.</summary>
public readonly record struct FramedLine(byte[]? Bytes)
{
    public bool IsOverlong => Bytes is null;
}

/// <summary>
/// Cuts a byte stream into lines at <c>\n</c> (a <c>\r</c> before it is dropped), whatever the
/// read boundaries. A line longer than <see cref="MaxLength"/> is reported once as overlong and
/// everything up to the next newline is discarded. Pure: no I/O, no clock.
/// </summary>
public sealed class LineFramer
{
    public const int DefaultMaxLength = 512;

    private readonly byte[] _line;
    private int _length;
    private bool _discarding;

    public LineFramer(int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        MaxLength = maxLength;

        // One more byte for a '\r' that may precede the '\n'.
        _line = new byte[maxLength + 1];
    }

    public int MaxLength { get; }

    /// <summary>Feeds bytes as they were read; complete lines (and overlong markers) are added to <paramref name="output"/>.</summary>
    public void Feed(ReadOnlySpan<byte> data, List<FramedLine> output)
    {
        foreach (var b in data)
        {
            if (b == (byte)'\n')
            {
                if (_discarding)
                {
                    _discarding = false;
                }
                else
                {
                    var length = _length > 0 && _line[_length - 1] == (byte)'\r' ? _length - 1 : _length;
                    output.Add(length > MaxLength ? default : new FramedLine(_line.AsSpan(0, length).ToArray()));
                }

                _length = 0;
            }
            else if (!_discarding)
            {
                if (_length == _line.Length)
                {
                    _discarding = true;
                    _length = 0;
                    output.Add(default);
                }
                else
                {
                    _line[_length++] = b;
                }
            }
        }
    }

    /// <summary>Forgets a partial line (after the device went away: its tail will never come).</summary>
    public void Reset()
    {
        _length = 0;
        _discarding = false;
    }
}
