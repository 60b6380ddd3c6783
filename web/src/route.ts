// The app's routes, parsed from a path (pure, so it is unit-tested).

export type Route =
  | { name: 'login'; next: string }
  | { name: 'inbox' }
  | { name: 'contact'; id: number }
  | { name: 'sync' }
  | { name: 'campaigns' }
  | { name: 'campaign-new' }
  | { name: 'campaign-edit'; id: number }
  | { name: 'campaign'; id: number }
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
  if (/^\/campaigns\/?$/.test(url.pathname)) return { name: 'campaigns' };
  if (/^\/campaigns\/new\/?$/.test(url.pathname)) return { name: 'campaign-new' };
  const campaign = /^\/campaigns\/(\d+)(\/edit)?\/?$/.exec(url.pathname);
  if (campaign?.[1]) return { name: campaign[2] ? 'campaign-edit' : 'campaign', id: Number(campaign[1]) };
  return { name: 'not-found' };
}
