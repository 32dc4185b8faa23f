using System.Globalization;

namespace FleetHealth.Simulator;

/// <summary>A run of queued beats read from the head of the queue, to be acknowledged with <see cref="OfflineQueue.Advance"/>.</summary>
internal sealed record QueueChunk(IReadOnlyList<Beat> Beats, long EndOffset, int Lines);

/// <summary>
/// Beats that could not be delivered, kept on disk in order: an append-only file of JSON lines
/// (<c>queue.jsonl</c>, fsync'd in batches by <see cref="FlushAsync"/>) and the byte offset of
/// what has been delivered (<c>queue.pos</c>). A restart of the simulator resumes from the offset;
/// a crash between delivery and offset update resends a few beats, which the server treats as
/// duplicates (same sensor and sequence). When everything is delivered, both files are reset.
/// </summary>
internal sealed class OfflineQueue : IDisposable
{
    private const int ReadBlock = 256 * 1024;

    private readonly Lock _lock = new();
    private readonly string _posPath;
    private readonly FileStream _file;
    private readonly byte[] _readBuffer = new byte[ReadBlock];
    private long _readOffset;
    private long _pending;
    private bool _dirty;
    private long _corrupt;

    public OfflineQueue(string directory)
    {
        Directory.CreateDirectory(directory);
        _posPath = Path.Combine(directory, "queue.pos");
        _file = new FileStream(Path.Combine(directory, "queue.jsonl"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
        _readOffset = File.Exists(_posPath) && long.TryParse(File.ReadAllText(_posPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pos) ? pos : 0;
        Recover();
    }

    /// <summary>Beats waiting to be delivered.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    public bool HasPending => Pending > 0;

    /// <summary>Lines skipped because they could not be read back (torn writes).</summary>
    public long Corrupt => Interlocked.Read(ref _corrupt);

    public void Append(IReadOnlyList<Beat> beats)
    {
        if (beats.Count == 0)
        {
            return;
        }

        // Serialize outside the lock, write with one call inside it.
        using var lines = new MemoryStream(beats.Count * 200);
        foreach (var beat in beats)
        {
            lines.Write(beat.ToQueueLine());
            lines.WriteByte((byte)'\n');
        }

        lock (_lock)
        {
            _file.Seek(0, SeekOrigin.End);
            _file.Write(lines.GetBuffer(), 0, (int)lines.Length);

            _dirty = true;
            Interlocked.Add(ref _pending, beats.Count);
        }
    }

    /// <summary>fsyncs what was appended since the last call (group commit to disk).</summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (_dirty)
            {
                _file.Flush(flushToDisk: true);
                _dirty = false;
            }
        }
    }

    /// <summary>Flushes every <paramref name="period"/> until cancelled, then once more.</summary>
    public async Task FlushAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Flush();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Flush();
        }
    }

    /// <summary>
    /// The next beats from the head, in order, at most <paramref name="max"/> and no sensor twice,
    /// so that sending a chunk's beats in parallel still keeps each sensor's beats in order.
    /// </summary>
    public QueueChunk? Peek(int max)
    {
        lock (_lock)
        {
            if (Pending == 0)
            {
                return null;
            }

            var beats = new List<Beat>(max);
            var sensors = new HashSet<string>(StringComparer.Ordinal);
            var offset = _readOffset;
            var lines = 0;
            var buffer = _readBuffer;
            while (beats.Count < max)
            {
                _file.Seek(offset, SeekOrigin.Begin);
                var read = _file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                var span = buffer.AsSpan(0, read);
                var consumed = 0;
                var full = false;
                while (beats.Count < max)
                {
                    var newline = span[consumed..].IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        break;
                    }

                    var beat = Beat.FromQueueLine(span.Slice(consumed, newline));
                    if (beat is not null && !sensors.Add(beat.SensorId))
                    {
                        full = true;
                        break;
                    }

                    consumed += newline + 1;
                    lines++;
                    if (beat is null)
                    {
                        Interlocked.Increment(ref _corrupt);
                        continue;
                    }

                    beats.Add(beat);
                }

                offset += consumed;
                if (full || consumed == 0 || read < buffer.Length)
                {
                    break;
                }
            }

            return new QueueChunk(beats, offset, lines);
        }
    }

    /// <summary>Marks <paramref name="chunk"/> delivered (or dropped for good); resets the files once the queue is empty.</summary>
    public void Advance(QueueChunk chunk)
    {
        lock (_lock)
        {
            _readOffset = chunk.EndOffset;
            var left = Interlocked.Add(ref _pending, -chunk.Lines);
            if (left <= 0 && _readOffset >= _file.Length)
            {
                Interlocked.Exchange(ref _pending, 0);
                _file.SetLength(0);
                _file.Flush(flushToDisk: true);
                _readOffset = 0;
                _dirty = false;
            }

            WritePosition();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _file.Flush(flushToDisk: true);
            WritePosition();
            _file.Dispose();
        }
    }

    private void WritePosition()
    {
        var temp = _posPath + ".tmp";
        File.WriteAllText(temp, _readOffset.ToString(CultureInfo.InvariantCulture));
        File.Move(temp, _posPath, overwrite: true);
    }

    /// <summary>Drops a torn last line (a crash mid-append) and counts what is left to deliver.</summary>
    private void Recover()
    {
        var length = _file.Length;
        if (_readOffset > length)
        {
            _readOffset = length;
        }

        // Find the last newline; anything after it is a torn write.
        var end = length;
        var one = new byte[1];
        while (end > _readOffset)
        {
            _file.Seek(end - 1, SeekOrigin.Begin);
            _file.ReadExactly(one);
            if (one[0] == (byte)'\n')
            {
                break;
            }

            end--;
        }

        if (end < length)
        {
            _file.SetLength(end);
        }

        _file.Seek(_readOffset, SeekOrigin.Begin);
        var count = 0L;
        var buffer = new byte[ReadBlock];
        int read;
        while ((read = _file.Read(buffer)) > 0)
        {
            count += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        _pending = count;
    }
}
