// The one place that talks HTTP to crmd: JSON in and out, the CSRF header on unsafe methods, the
// contract's error envelope turned into ApiError, and any 401 reported to the app (which logs out).
import type { ApiErrorBody } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds from `Retry-After` (429), when the server sent one. */
    readonly retryAfter: number | null = null,
    /** Where a validation error is: the request field and, for a template, the byte offset in it. */
    readonly detail: { field?: string; offset?: number } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// The CSRF token lives in memory only (never in storage): a reload fetches it again from
// GET /auth/session, so a script that can read storage still cannot forge requests.
let csrfToken: string | null = null;
let onUnauthorized: () => void = () => {};

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export type Query = Record<string, string | number | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** A body sent as is with this Content-Type (a CSV upload), instead of JSON. */
  raw?: { body: string; contentType: string };
  /** Login answers 401 for bad credentials; that must not bounce the user to /login. */
  expectUnauthorized?: boolean;
}

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.raw) headers['Content-Type'] = options.raw.contentType;
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  const response = await fetch(buildUrl(path, options.query), {
    method,
    headers,
    body: options.raw ? options.raw.body : options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: 'same-origin',
    signal: options.signal,
  });

  if (response.status === 401 && !options.expectUnauthorized) onUnauthorized();
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

async function toApiError(response: Response): Promise<ApiError> {
  let code = 'http_' + response.status;
  let message = response.statusText || 'Request failed';
  const detail: { field?: string; offset?: number } = {};
  try {
    const body = (await response.json()) as Partial<ApiErrorBody>;
    if (body.error) {
      code = body.error.code;
      message = body.error.message;
      if (typeof body.error.field === 'string') detail.field = body.error.field;
      if (typeof body.error.offset === 'number') detail.offset = body.error.offset;
    }
  } catch {
    // Not JSON (a proxy's error page, say): keep the status-derived code.
  }
  const retry = Number(response.headers.get('Retry-After'));
  return new ApiError(response.status, code, message, Number.isFinite(retry) && retry > 0 ? retry : null, detail);
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** A user-facing sentence for any failure of `request`. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'Cannot reach the server. Check the connection and try again.';
  return 'Something went wrong.';
}
