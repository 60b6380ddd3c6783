// Sync health in a real browser against a real crmd: the header dot shows the server's verdict and
// reason, `/sync` lists the webhook events that failed or died, and Replay sends one back to be
// applied (its row goes, the text reaches the contact, the dot follows). Then "Reconcile now".
//   node tests/browser/sync.test.mjs   (CRM_TEST_DATABASE_URL set; see tests/browser/README.md)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Api, waitFor } from './harness/api.mjs';
import { launchBrowser, logIn, screenshots, viewports } from './harness/browser.mjs';
import { ourLine } from './harness/scenario.mjs';
import { startStack } from './harness/stack.mjs';
import { deliver, incomingText } from './harness/webhooks.mjs';

let stack;
let browser;
let page;
let api;
let line;
const stored = {}; // { dead, failed }: { id, contact, body } of the events the test planted

// Two contacts whose texts only ever arrive as planted events, so the texts show up in crmd only
// once those events are applied.
const contacts = {
  live: { phone: '+14135550141', conversationId: `CN${'c1'.repeat(16)}` },
  dead: { phone: '+14135550142', conversationId: `CN${'c2'.repeat(16)}` },
  failed: { phone: '+14135550143', conversationId: `CN${'c3'.repeat(16)}` },
};

function textFrom(contact, body) {
  return incomingText({ contact: contact.phone, ours: line.number, phoneNumberId: line.phoneNumberId, conversationId: contact.conversationId, userId: line.userId, body });
}

// A webhook event stored as if applying it had failed (a deadlock, say): a state no API creates.
// `failed` ones wait forever (next_attempt_at infinity) so the re-drive leaves them to the test.
async function plantEvent(status, contact, body) {
  const payload = textFrom(contact, body);
  const { id: eventId } = JSON.parse(payload);
  const next = status === 'failed' ? "'infinity'" : 'NULL';
  const id = await stack.sql(
    `INSERT INTO webhook_events (event_id, event_type, api_version, payload, status, attempts, error_code, error_message, next_attempt_at)
     VALUES ('${eventId}', 'message.received', 'v3', $payload$${payload}$payload$::jsonb, '${status}', 3,
             'sqlstate_40P01', 'deadlock detected', ${next}) RETURNING id`,
  );
  return { id: Number(id.split('\n')[0]), contact, body };
}

// The dot as the page shows it.
async function indicator() {
  const dot = page.getByTestId('sync-indicator');
  return { status: await dot.getAttribute('data-status'), text: (await dot.innerText()).trim(), title: await dot.getAttribute('title') };
}

// Waits until the dot shows what crmd's health says now, and `accept(health)` holds; returns it.
function indicatorMatchesServer(what, accept) {
  return waitFor(what, async () => {
    const health = await api.get('/api/v1/sync/health');
    if (!accept(health)) return false;
    const shown = await indicator();
    return shown.status === health.status && shown.text.endsWith(health.reason) && shown.title === `${health.reason}: details` && health;
  });
}

async function contactTexts(contact) {
  const found = (await api.get(`/api/v1/contacts?q=${contact.phone.slice(2)}`)).data[0];
  return found ? (await api.timeline(found.id)).map((a) => a.body) : [];
}

before(async () => {
  // Health is checked (and a changed verdict published) every 300 ms instead of every 15 s.
  stack = await startStack('browser_sync', { crmdEnv: { CRM_SYNC_HEALTH_INTERVAL_MS: '300' } });
  line = await ourLine(stack);
  api = await new Api(stack.base).login(stack.owner.email, stack.owner.password);

  // One webhook through the front door, so crmd has heard from OpenPhone.
  const delivered = await deliver(stack.webhookUrl, textFrom(contacts.live, 'Is Tuesday still good?'), stack.webhookSecret);
  assert.equal(delivered.status, 200, delivered.body);
  await waitFor('the delivered text applied', async () => (await contactTexts(contacts.live)).includes('Is Tuesday still good?'));

  stored.dead = await plantEvent('dead', contacts.dead, 'Please call me back about the quote.');
  stored.failed = await plantEvent('failed', contacts.failed, 'Water is coming in again.');

  browser = await launchBrowser();
  page = await browser.newPage({ viewport: viewports.desktop });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('the header dot shows the server’s verdict and reason', async () => {
  await logIn(page, stack.base, stack.owner);
  const health = await indicatorMatchesServer('the dot to show a dead event', (h) => h.webhooks.dead === 1 && h.webhooks.failed === 1);
  assert.equal(health.status, 'red');
  assert.equal((await indicator()).status, 'red');
});

test('/sync lists the dead and the failed event, dead first, from the dot’s link', async () => {
  await page.getByTestId('sync-indicator').click();
  await page.waitForURL('**/sync');
  await page.locator('[data-testid="webhook-event"]').nth(1).waitFor();
  const rows = page.getByTestId('webhook-event');
  assert.equal(await rows.count(), 2);
  assert.equal(await rows.nth(0).getAttribute('data-event-id'), String(stored.dead.id));
  assert.equal(await rows.nth(0).getAttribute('data-status'), 'dead');
  assert.equal(await rows.nth(1).getAttribute('data-event-id'), String(stored.failed.id));
  assert.equal(await rows.nth(1).getAttribute('data-status'), 'failed');
  assert.match(await rows.nth(0).innerText(), /deadlock detected/);

  const health = await api.get('/api/v1/sync/health');
  const overall = page.getByTestId('sync-overall');
  assert.equal(await overall.getAttribute('data-status'), health.status);
  assert.equal(await page.getByTestId('sync-reason').innerText(), health.reason);
  assert.match(await page.getByTestId('sync-dead-count').innerText(), /^1 event/);
  for (const file of await screenshots(page, 'sync')) console.log(`screenshot: ${file}`);
});

test('Replay applies an event: its row goes and its text reaches the contact', async () => {
  const dead = page.locator(`[data-testid="webhook-event"][data-event-id="${stored.dead.id}"]`);
  await dead.getByTestId('webhook-replay').click();
  await dead.waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('webhook-event').count(), 1);
  await waitFor('the replayed text in the contact’s timeline', async () => (await contactTexts(stored.dead.contact)).includes(stored.dead.body));
  const processed = await api.get('/api/v1/webhook-events?status=processed');
  assert.ok(processed.data.some((e) => e.id === stored.dead.id), 'the replayed event is processed');
  // No longer dead: the dot leaves red (the failed one still counts).
  await indicatorMatchesServer('the dot to drop the dead event', (h) => h.webhooks.dead === 0 && h.webhooks.failed === 1);
  assert.notEqual((await indicator()).status, 'red');

  await page.getByTestId('webhook-replay').click();
  await page.getByTestId('webhook-events-empty').waitFor();
  await waitFor('the second replayed text', async () => (await contactTexts(stored.failed.contact)).includes(stored.failed.body));
  const health = await indicatorMatchesServer('the dot with nothing failed', (h) => h.webhooks.dead === 0 && h.webhooks.failed === 0);
  // The page's own verdict followed the `sync.health` frame, without a reload.
  await page.locator(`[data-testid="sync-overall"][data-status="${health.status}"]`).waitFor();
  for (const timeline of [await contactTexts(stored.dead.contact), await contactTexts(stored.failed.contact)])
    assert.equal(timeline.length, 1, 'each replayed text is stored once');
});

test('Reconcile now starts a run and the page follows it to the end', async () => {
  await page.getByTestId('reconcile-now').click();
  const panel = page.getByTestId('sync-reconcile');
  await page.locator('[data-testid="sync-reconcile"]:is([data-status="completed"], [data-status="failed"])').waitFor({ timeout: 120_000 });
  const { reconciliations } = await api.get('/api/v1/reconciliations?limit=1');
  const latest = reconciliations[0];
  assert.equal(latest.trigger, 'api');
  assert.equal(await panel.getAttribute('data-status'), latest.status);
  assert.equal(latest.status, 'completed', latest.last_error ?? '');
  assert.match(await page.getByTestId('reconcile-status').innerText(), new RegExp(`^#${latest.id} `));
  await page.getByTestId('reconcile-report').waitFor();
  assert.equal(await page.getByTestId('reconcile-now').isEnabled(), true);
});
