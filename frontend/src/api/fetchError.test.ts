import { describe, expect, it } from 'vitest';
import { describeFetchError, failedResponse, fetchErrorSentence, HttpError } from './fetchError';
import { UnauthorizedError } from './http';

describe('fetch errors as sentences', () => {
  it('reads a network failure (a TypeError in every browser) as an unreachable server, with the retry countdown', () => {
    for (const message of ['Failed to fetch', 'NetworkError when attempting to fetch resource.', 'Load failed']) {
      expect(fetchErrorSentence(new TypeError(message), 3200)).toBe('The server is unreachable; retrying in 4 s');
    }
    expect(fetchErrorSentence(new TypeError('Failed to fetch'))).toBe('The server is unreachable.');
    expect(fetchErrorSentence(new TypeError('Failed to fetch'), 0)).toBe('The server is unreachable; retrying now');
  });

  it('never shows an exception name or "HTTP" alone', () => {
    const sentences = [
      new TypeError('Failed to fetch'), new SyntaxError('Unexpected token < in JSON'), new DOMException('x', 'TimeoutError'),
      new UnauthorizedError('/api/v1/cluster'), new HttpError(503, 'HTTP 503'), new HttpError(500, 'Boom.'), new Error('x'), 'plain',
    ].map((e) => fetchErrorSentence(e, 1000));
    for (const s of sentences) {
      expect(s).not.toMatch(/TypeError|SyntaxError|Error:|DOMException/);
      expect(s).toMatch(/^[A-Z]/);
      expect(s).toMatch(/; retrying in 1 s$/);
    }
  });

  it('names what the server said', () => {
    expect(describeFetchError(new HttpError(503, 'HTTP 503'))).toBe('The server is unavailable (HTTP 503)');
    expect(describeFetchError(new HttpError(500, 'The database is unreachable.'))).toBe('The server failed (HTTP 500): The database is unreachable');
    expect(describeFetchError(new HttpError(400, 'window must be one of 24h, 7d.'))).toBe('Window must be one of 24h, 7d');
    expect(describeFetchError(new UnauthorizedError('/x'))).toBe('Your session has ended');
    expect(describeFetchError(new SyntaxError('bad'))).toBe('The server’s answer could not be read');
  });

  it('turns a failed answer into an HttpError carrying its problem details', async () => {
    const response = new Response(JSON.stringify({ status: 400, title: 'Bad', errors: { limit: ['limit must be from 1 to 500.'] } }), { status: 400 });
    const error = await failedResponse(response);
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(400);
    expect(fetchErrorSentence(error)).toBe('Limit must be from 1 to 500.');
  });
});
