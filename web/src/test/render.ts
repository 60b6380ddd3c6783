// Mounting components on the minimal DOM, letting fetches and effects settle, and a fetch stub
// answering by method and path (vi.stubGlobal('fetch', …), as the client tests do).
import { render } from 'preact';
import type { VNode } from 'preact';
import { act } from 'preact/test-utils';
import { vi } from 'vitest';
import { container } from './dom';
import type { FakeElement } from './dom';

export async function mount(vnode: VNode): Promise<FakeElement> {
  const root = container();
  await act(() => {
    render(vnode, root as unknown as Element);
  });
  await settle();
  return root;
}

export async function unmount(root: FakeElement): Promise<void> {
  await act(() => render(null, root as unknown as Element));
  root.remove();
}

/** Lets pending promises (stubbed fetches), renders and effects run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i += 1) {
    await act(async () => {
      for (let j = 0; j < 5; j += 1) await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

/** Runs `fn` (a click, typing) inside act and settles afterwards. */
export async function interact(fn: () => void): Promise<void> {
  await act(fn);
  await settle();
}

export interface Call {
  method: string;
  path: string;
  /** The query string's parameters (routes match on the path alone). */
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

type Answer = { status: number; body?: unknown } | ((call: Call) => { status: number; body?: unknown });

/** A fetch stub: routes are "METHOD /path" (query ignored); unknown routes answer 404. */
export function stubFetch(routes: Record<string, Answer>) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://crmd.test');
    const raw = init?.body;
    const call: Call = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof raw === 'string' && isJson(init) ? JSON.parse(raw) : raw,
    };
    calls.push(call);
    const route = routes[`${call.method} ${call.path}`];
    const answer = typeof route === 'function' ? route(call) : (route ?? { status: 404, body: { error: { code: 'not_found', message: 'no route' } } });
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}

function isJson(init: RequestInit | undefined): boolean {
  return ((init?.headers ?? {}) as Record<string, string>)['Content-Type'] === 'application/json';
}
