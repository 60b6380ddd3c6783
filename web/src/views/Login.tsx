import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/client';
import { navigate } from '../router';
import { login } from '../state/session';

function loginMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'invalid_credentials') return 'Wrong email or password.';
    if (error.code === 'too_many_attempts') {
      const minutes = error.retryAfter ? Math.ceil(error.retryAfter / 60) : 15;
      return `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
    }
  }
  return describeError(error);
}

export function Login({ next }: { next: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Log in — crmd';
    emailRef.current?.focus();
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!email.trim() || !password) {
      setError('Enter your email and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
      navigate(next, { replace: true });
    } catch (err) {
      setError(loginMessage(err));
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <main id="main" class="login" tabIndex={-1}>
      <form class="card login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <h1 id="login-title">Log in to crmd</h1>
        <label for="login-email">Email</label>
        <input
          id="login-email"
          ref={emailRef}
          data-testid="login-email"
          type="email"
          autocomplete="username"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <label for="login-password">Password</label>
        <input
          id="login-password"
          data-testid="login-password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {error && (
          <p class="form-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" class="btn-primary" data-testid="login-submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
