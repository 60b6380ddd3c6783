// crmd's JSON API from node, logged in as a user: what the tests read to know what crmd holds
// (ids, media downloads) before and after looking at the page.
export class Api {
  constructor(base) {
    this.base = base;
    this.cookie = null;
    this.csrf = null;
  }

  async login(email, password) {
    const response = await fetch(`${this.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (response.status !== 200) throw new Error(`login answered ${response.status}: ${await response.text()}`);
    this.cookie = response.headers.get('set-cookie').split(';')[0];
    this.csrf = (await response.json()).csrf_token;
    return this;
  }

  async get(route) {
    const response = await fetch(`${this.base}${route}`, { headers: { cookie: this.cookie } });
    if (response.status !== 200) throw new Error(`GET ${route} answered ${response.status}: ${await response.text()}`);
    return response.json();
  }

  async patch(route, body) {
    const response = await fetch(`${this.base}${route}`, {
      method: 'PATCH',
      headers: { cookie: this.cookie, 'x-csrf-token': this.csrf, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 200) throw new Error(`PATCH ${route} answered ${response.status}: ${await response.text()}`);
    return response.json();
  }

  // Every activity of the contact, oldest first (the API pages newest first).
  async timeline(contactId) {
    const activities = [];
    let cursor = null;
    do {
      const page = await this.get(`/api/v1/contacts/${contactId}/timeline?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      activities.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    return activities.reverse();
  }
}

// Polls `probe` until it returns something truthy; rejects with `what` after `timeoutMs`. For
// state that crmd reaches asynchronously and announces nowhere the harness can listen.
export async function waitFor(what, probe, { timeoutMs = 30_000, intervalMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
