import { csvUrl, type CsvParams } from './csvUrl';

/**
 * A download of an endpoint's rows as CSV. A plain link: the browser sends the session cookie and
 * writes the server's streamed attachment straight to disk, so a large file never sits in the page.
 */
export function DownloadCsvButton({ apiBase, path, params, label = 'Download CSV', testId }: {
  apiBase: string; path: string; params?: CsvParams; label?: string; testId?: string;
}) {
  return <a className="download-csv" href={csvUrl(apiBase, path, params)} download data-testid={testId}>{label}</a>;
}
