// Who is logged in. `undefined` while the first GET /auth/session is in flight, null when nobody.
import { signal } from '@preact/signals';
import { setCsrfToken, setUnauthorizedHandler } from '../api/client';
import { api } from '../api/endpoints';
import type { SessionInfo, User } from '../api/types';
import { currentPath, navigate } from '../router';
import { live } from './live';

export const user = signal<User | null | undefined>(undefined);

function begin(info: SessionInfo): void {
  setCsrfToken(info.csrf_token);
  user.value = info.user;
  live.start();
}

function end(): void {
  setCsrfToken(null);
  user.value = null;
  live.stop();
}

export async function restoreSession(): Promise<void> {
  try {
    begin(await api.session());
  } catch {
    end();
  }
}

export async function login(email: string, password: string): Promise<void> {
  begin(await api.login(email, password));
}

export async function logout(): Promise<void> {
  try {
    await api.logout();
  } catch {
    // Logged out locally even when the server is unreachable: the office PC may be shared.
  }
  end();
  navigate('/login', { replace: true });
}

setUnauthorizedHandler(() => {
  end();
  if (!currentPath.value.startsWith('/login')) {
    navigate(`/login?next=${encodeURIComponent(currentPath.value)}`, { replace: true });
  }
});
