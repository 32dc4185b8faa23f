using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace FleetHealth.Bench.Ingest;

/// <summary>
/// Closed-loop peaks measured with wrk (Debian's package): the generator shares the machine's two
/// cores with the server and PostgreSQL, and wrk (C, epoll, one request in flight per connection)
/// spends several times less CPU per request than .NET's HttpClient, so the figures say more about
/// the server and less about the generator. Both endpoints, the bare one and the server, get the same generator.
/// </summary>
internal static class WrkLoad
{
    private const int Threads = 2;

    /// <summary>What a request carries: one heartbeat per request, or a gateway's batch.</summary>
    public enum Shape
    {
        Single,
        Batch,
    }

    /// <summary>
    /// Runs wrk for <paramref name="duration"/> with <paramref name="connections"/> keep-alive
    /// connections. Requests are numbered from <paramref name="first"/> on, so that phases never
    /// repeat a sensor's sequence number (a repeat is an idempotent duplicate, cheaper than a beat).
    /// </summary>
    public static async Task<Throughput> RunAsync(Uri server, Shape shape, long first, int connections, TimeSpan duration, int sensors, int batchSize, string? key)
    {
        var script = Path.Combine(Path.GetTempPath(), $"fleethealth-wrk-{Environment.ProcessId}-{shape}.lua");
        await File.WriteAllTextAsync(script, Script);
        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "-t", Threads.ToString(CultureInfo.InvariantCulture), "-c", Math.Max(Threads, connections).ToString(CultureInfo.InvariantCulture),
            "-d", $"{Math.Max(1, (int)duration.TotalSeconds)}s", "--timeout", "30s", "-s", script, server.ToString().TrimEnd('/'), "--",
            shape == Shape.Batch ? "batch" : "single", first.ToString(CultureInfo.InvariantCulture), sensors.ToString(CultureInfo.InvariantCulture),
            Threads.ToString(CultureInfo.InvariantCulture), batchSize.ToString(CultureInfo.InvariantCulture), key ?? "",
        })
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception error)
        {
            throw new InvalidOperationException("The ingest benchmark drives its peaks with wrk: install it (apt-get install wrk).", error);
        }

        using (process)
        {
            try
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var errors = process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                var text = await output;
                var lines = text.Split('\n');
                var problem = $"wrk exited with {process.ExitCode}: {await errors}{text}";
                long Count(string name) => long.Parse(Field(lines, name, problem), CultureInfo.InvariantCulture);
                var requests = Count("requests");
                var failed = Count("failed") + Count("errors");
                var seconds = double.Parse(Field(lines, "seconds", problem), CultureInfo.InvariantCulture);
                return new Throughput(requests - Math.Min(requests, failed), failed, TimeSpan.FromSeconds(seconds));
            }
            finally
            {
                File.Delete(script);
            }
        }
    }

    private static string Field(string[] lines, string name, string problem) =>
        lines.FirstOrDefault(l => l.StartsWith(name + ": ", StringComparison.Ordinal))?[(name.Length + 2)..].Trim()
            ?? throw new InvalidOperationException($"No '{name}:' line from wrk. {problem}");

    // A request counts as ok only with its 202 (a batch with a refused item answers 207); socket
    // errors and timeouts count as failed too. Request n is thread + threads × (its count on the
    // thread), offset by the phase's first number: unique across threads and phases.
    private const string Script = """
        local threads = {}
        function setup(thread)
          thread:set("id", #threads)
          table.insert(threads, thread)
        end
        function init(args)
          shape = args[1]; first = tonumber(args[2]); sensors = tonumber(args[3]); nthreads = tonumber(args[4])
          batchSize = tonumber(args[5]); counter = 0; failed = 0
          headers = { ["Content-Type"] = "application/json" }
          if args[6] ~= nil and args[6] ~= "" then headers["Authorization"] = "Bearer " .. args[6] end
        end
        function request()
          local n = first + counter * nthreads + id
          counter = counter + 1
          if shape == "single" then
            local body = '{"sequence":' .. math.floor(n / sensors) .. ',"battery":87.5,"signal":-61}'
            return wrk.format("POST", "/api/v1/heartbeats/bench-" .. (n % sensors), headers, body)
          end
          local items = {}
          for k = 0, batchSize - 1 do
            local m = n * batchSize + k
            items[#items + 1] = '{"sensorId":"gw-' .. (m % sensors) .. '","sequence":' .. math.floor(m / sensors) .. '}'
          end
          return wrk.format("POST", "/api/v1/heartbeats", headers, "[" .. table.concat(items, ",") .. "]")
        end
        function response(status, headers, body)
          if status ~= 202 then failed = failed + 1 end
        end
        function done(summary, latency, requests)
          local f = 0
          for _, t in ipairs(threads) do f = f + t:get("failed") end
          local e = summary.errors
          io.write(string.format("requests: %d\nfailed: %d\nerrors: %d\nseconds: %.3f\n", summary.requests, f,
            e.connect + e.read + e.write + e.timeout, summary.duration / 1e6))
        end
        """;
}
