/** Body of GET /readyz, as the server documents it. */
export interface Readiness {
  status: string;
  schemaVersion?: number;
  expectedSchemaVersion?: number;
}

export function parseReadiness(body: unknown): Readiness {
  if (typeof body !== 'object' || body === null || typeof (body as { status?: unknown }).status !== 'string') {
    throw new Error('readiness answer has no status');
  }
  return body as Readiness;
}

export async function fetchReadiness(apiBase: string, signal?: AbortSignal): Promise<Readiness> {
  const response = await fetch(`${apiBase}/readyz`, { signal });
  return parseReadiness(await response.json());
}
