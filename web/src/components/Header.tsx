import { logout, user } from '../state/session';
import { liveStatus } from '../state/live';
import { currentPath, onLinkClick } from '../router';
import { ContactSearch } from './ContactSearch';
import { SyncIndicator } from './SyncIndicator';
import { Icon } from './icons';

export function Header() {
  const me = user.value;
  return (
    <header class="app-header">
      <a href="/" class="brand" onClick={(e) => onLinkClick(e, '/')}>
        crmd
      </a>
      <nav class="main-nav" aria-label="Main">
        <NavLink href="/" label="Inbox" active={currentPath.value === '/' || currentPath.value.startsWith('/contacts/')} />
        <NavLink href="/campaigns" label="Campaigns" active={currentPath.value.startsWith('/campaigns')} testid="nav-campaigns" />
      </nav>
      <ContactSearch />
      <div class="header-status">
        <SyncIndicator />
        {liveStatus.value === 'offline' && (
          <span class="live-off" role="status">
            Reconnecting…
          </span>
        )}
      </div>
      <button
        type="button"
        class="btn-quiet logout"
        data-testid="logout"
        onClick={() => void logout()}
        title={me ? `Log out ${me.email}` : 'Log out'}
      >
        <Icon name="logout" size={18} />
        <span class="logout-text">Log out</span>
      </button>
    </header>
  );
}

function NavLink({ href, label, active, testid }: { href: string; label: string; active: boolean; testid?: string }) {
  return (
    <a href={href} class="nav-link" aria-current={active ? 'page' : undefined} data-testid={testid} onClick={(e) => onLinkClick(e, href)}>
      {label}
    </a>
  );
}
