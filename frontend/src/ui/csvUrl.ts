/** Query values of a download: empty, null and undefined ones are left out (as an unset filter). */
export type CsvParams = Record<string, string | number | null | undefined>;

/**
 * The address of an endpoint's CSV download: `format=csv` first, then the given parameters
 * (encoded; blank ones left out, and never a second `format`), so the file holds what the page shows.
 */
export function csvUrl(apiBase: string, path: string, params: CsvParams = {}): string {
  const query = new URLSearchParams({ format: 'csv' });
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '' || key === 'format') continue;
    query.set(key, String(value));
  }
  return `${apiBase.replace(/\/+$/, '')}${path}?${query.toString()}`;
}
