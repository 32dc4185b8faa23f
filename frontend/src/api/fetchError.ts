import { responseProblem, UnauthorizedError } from './http';

/** A failed answer: its status and the sentence its problem details give (see responseProblem). */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

const sentence = (text: string): string => {
  const trimmed = text.trim().replace(/[.;:,\s]+$/, '');
  return trimmed ? trimmed[0]!.toUpperCase() + trimmed.slice(1) : 'The request failed';
};

/**
 * What went wrong with a request, as a sentence an operator reads (no final stop, so a retry can
 * follow): never `TypeError: Failed to fetch`. A fetch that could not reach the server rejects with
 * a TypeError in every browser (the message differs: "Failed to fetch", "NetworkError when
 * attempting to fetch resource", "Load failed").
 */
export function describeFetchError(error: unknown): string {
  if (error instanceof UnauthorizedError) return 'Your session has ended';
  if (error instanceof TypeError) return 'The server is unreachable';
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'The server did not answer in time';
  if (error instanceof DOMException && error.name === 'AbortError') return 'The request was cancelled';
  if (error instanceof SyntaxError) return 'The server’s answer could not be read';
  if (error instanceof HttpError) {
    if (error.status === 502 || error.status === 503 || error.status === 504) return `The server is unavailable (HTTP ${error.status})`;
    if (error.status >= 500) return `The server failed (HTTP ${error.status}): ${error.message.replace(/[.\s]+$/, '')}`;
    return sentence(error.message);
  }
  if (error instanceof Error) return sentence(error.message);
  return sentence(String(error));
}

/** "The server is unreachable; retrying in 4 s" while a retry is planned, else the sentence with its stop. */
export function fetchErrorSentence(error: unknown, retryInMs: number | null = null): string {
  const what = describeFetchError(error);
  if (retryInMs === null) return `${what}.`;
  const seconds = Math.max(0, Math.ceil(retryInMs / 1000));
  return seconds === 0 ? `${what}; retrying now` : `${what}; retrying in ${seconds} s`;
}

/** The error for a failed answer: its status and its problem details' sentence. */
export async function failedResponse(response: Response): Promise<HttpError> {
  return new HttpError(response.status, await responseProblem(response));
}
