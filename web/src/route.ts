// The app's routes, parsed from a path (pure, so it is unit-tested).

export type Route =
  | { name: 'login'; next: string }
  | { name: 'inbox' }
  | { name: 'contact'; id: number }
  | { name: 'sync' }
  | { name: 'not-found' };

export function matchRoute(pathWithQuery: string): Route {
  const url = new URL(pathWithQuery, 'http://app.invalid');
  if (url.pathname === '/login') {
    const next = url.searchParams.get('next');
    // Only same-app paths: `next=//evil.example` (or `/\evil.example`, which browsers read the
    // same way) must not become an open redirect.
    return { name: 'login', next: next && /^\/(?![/\\])/.test(next) ? next : '/' };
  }
  if (url.pathname === '/' || url.pathname === '') return { name: 'inbox' };
  if (url.pathname === '/sync') return { name: 'sync' };
  const contact = /^\/contacts\/(\d+)\/?$/.exec(url.pathname);
  if (contact?.[1]) return { name: 'contact', id: Number(contact[1]) };
  return { name: 'not-found' };
}
