import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, buildUrl, request, setCsrfToken, setUnauthorizedHandler } from './client';

const fetchMock = vi.fn<typeof fetch>();

function respond(status: number, body?: unknown, headers: Record<string, string> = {}) {
  fetchMock.mockResolvedValueOnce(
    new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json', ...headers },
    }),
  );
}

function sentHeaders(call = 0): Record<string, string> {
  const init = fetchMock.mock.calls[call]?.[1];
  return (init?.headers ?? {}) as Record<string, string>;
}

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  setCsrfToken('tok-1');
});
afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
  setUnauthorizedHandler(() => {});
});

describe('request', () => {
  it('sends X-CSRF-Token on unsafe methods only', async () => {
    respond(200, { ok: 1 });
    respond(204);
    respond(200, {});
    await request('GET', '/api/v1/inbox');
    await request('POST', '/api/v1/conversations/1/read');
    await request('PATCH', '/api/v1/contacts/1', { body: { tags: [] } });
    expect(sentHeaders(0)['X-CSRF-Token']).toBeUndefined();
    expect(sentHeaders(1)['X-CSRF-Token']).toBe('tok-1');
    expect(sentHeaders(2)['X-CSRF-Token']).toBe('tok-1');
    expect(sentHeaders(2)['Content-Type']).toBe('application/json');
  });

  it('returns undefined for 204 and parsed JSON otherwise', async () => {
    respond(204);
    await expect(request('POST', '/x')).resolves.toBeUndefined();
    respond(200, { data: [1], next_cursor: null });
    await expect(request('GET', '/x')).resolves.toEqual({ data: [1], next_cursor: null });
  });

  it('turns the error envelope into ApiError, with Retry-After', async () => {
    respond(429, { error: { code: 'too_many_attempts', message: 'slow down' } }, { 'Retry-After': '120' });
    const error = await request('POST', '/api/v1/auth/login', { expectUnauthorized: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, code: 'too_many_attempts', message: 'slow down', retryAfter: 120 });
  });

  it('reports 401 to the app, except where 401 is an expected answer', async () => {
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    respond(401, { error: { code: 'invalid_credentials', message: 'no' } });
    await expect(request('POST', '/api/v1/auth/login', { expectUnauthorized: true })).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(onUnauthorized).not.toHaveBeenCalled();
    respond(401, { error: { code: 'unauthenticated', message: 'no' } });
    await expect(request('GET', '/api/v1/inbox')).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('keeps the field and offset of validation errors', async () => {
    respond(422, { error: { code: 'invalid_template', message: "unknown merge field 'x' at 3", field: 'template_a', offset: 3 } });
    const error = await request('POST', '/api/v1/campaigns', { body: {} }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, code: 'invalid_template', detail: { field: 'template_a', offset: 3 } });
    respond(404, { error: { code: 'not_found', message: 'no' } });
    await expect(request('GET', '/x')).rejects.toMatchObject({ detail: {} });
  });

  it('sends a raw body with its own Content-Type', async () => {
    respond(200, { added: 1, errors: [] });
    await request('POST', '/api/v1/campaigns/1/audience/csv', { raw: { body: 'phone\n+16175550134\n', contentType: 'text/csv' } });
    expect(sentHeaders(0)['Content-Type']).toBe('text/csv');
    expect(sentHeaders(0)['X-CSRF-Token']).toBe('tok-1');
    expect(fetchMock.mock.calls[0]?.[1]?.body).toBe('phone\n+16175550134\n');
  });

  it('survives an error body that is not JSON', async () => {
    fetchMock.mockResolvedValueOnce(new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    await expect(request('GET', '/x')).rejects.toMatchObject({ status: 502, code: 'http_502' });
  });
});

describe('buildUrl', () => {
  it('drops empty parameters and encodes the rest', () => {
    expect(buildUrl('/api/v1/contacts', { q: 'smith & co', limit: 10, cursor: null })).toBe('/api/v1/contacts?q=smith+%26+co&limit=10');
    expect(buildUrl('/api/v1/inbox', { cursor: undefined })).toBe('/api/v1/inbox');
  });
});
