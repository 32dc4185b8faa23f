namespace FleetHealth.Server.Tests.RealServer;

/// <summary>A downloaded CSV read back with a CSV parser (CsvHelper): its header and its rows by column name.</summary>
internal sealed record CsvRows(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyDictionary<string, string>> Rows)
{
    public static async Task<CsvRows> ReadAsync(HttpResponseMessage response)
    {
        await using var body = await response.Content.ReadAsStreamAsync();
        using var csv = CsvHelper.CsvReader.Create(body);
        var rows = new List<IReadOnlyDictionary<string, string>>();
        while (await csv.ReadAsync())
        {
            var header = csv.Headers;
            rows.Add(Enumerable.Range(0, csv.FieldCount).ToDictionary(i => header[i], i => csv.GetString(i) ?? ""));
        }

        return new CsvRows([.. csv.Headers], rows);
    }
}
