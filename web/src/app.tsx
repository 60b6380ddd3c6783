// App shell: session gate, skip link, header, and the routes.
import { useEffect, useRef } from 'preact/hooks';
import { CampaignRoute } from './components/CampaignRoute';
import { Header } from './components/Header';
import { matchRoute } from './route';
import { currentPath, navigate, onLinkClick } from './router';
import { user } from './state/session';
import { Contact } from './views/Contact';
import { Inbox } from './views/Inbox';
import { Login } from './views/Login';
import { Sync } from './views/Sync';

export function App() {
  const route = matchRoute(currentPath.value);
  const me = user.value;

  // Unauthenticated on a protected route: to /login, coming back here afterwards; already logged
  // in on /login (a restored session, the back button): straight on.
  useEffect(() => {
    if (me === null && route.name !== 'login') {
      navigate(`/login?next=${encodeURIComponent(currentPath.value)}`, { replace: true });
    } else if (me && route.name === 'login') {
      navigate(route.next, { replace: true });
    }
  }, [me, currentPath.value]);

  // On navigation, move focus to the new page's <main> so screen readers announce it (not on first load).
  const firstPath = useRef(currentPath.value);
  useEffect(() => {
    if (currentPath.value !== firstPath.current) document.getElementById('main')?.focus({ preventScroll: true });
  }, [currentPath.value]);

  if (me === undefined) return <p class="boot muted">Loading…</p>;
  if (route.name === 'login') return me ? null : <Login next={route.next} />;
  if (me === null) return null;

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to main content
      </a>
      <Header />
      {route.name === 'inbox' && <Inbox />}
      {/* keyed: another contact is a fresh page (state, subscriptions, scroll) */}
      {route.name === 'contact' && <Contact key={route.id} id={route.id} />}
      {route.name === 'sync' && <Sync />}
      {(route.name === 'campaigns' || route.name === 'campaign-new' || route.name === 'campaign-edit' || route.name === 'campaign') && (
        <CampaignRoute route={route} />
      )}
      {route.name === 'not-found' && (
        <main id="main" class="page" tabIndex={-1}>
          <h1>Page not found</h1>
          <p>
            <a href="/" onClick={(e) => onLinkClick(e, '/')}>
              Back to the inbox
            </a>
          </p>
        </main>
      )}
    </>
  );
}
