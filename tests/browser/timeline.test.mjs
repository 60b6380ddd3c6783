// The web app in a real browser against a real crmd: log in, a contact's unified timeline, live
// updates and sending a reply. One system for the whole file (see harness/stack.mjs); the tests
// run in order on one page, as a user would go through them.
//   node tests/browser/timeline.test.mjs   (CRM_TEST_DATABASE_URL set; see tests/browser/README.md)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Api, waitFor } from './harness/api.mjs';
import { launchBrowser, logIn, screenshots, viewports, waitForLive } from './harness/browser.mjs';
import { pictureSize } from './harness/media.mjs';
import { contactHistory, incomingTextEvent, ourLine, sendScenario } from './harness/scenario.mjs';
import { startStack } from './harness/stack.mjs';

const contact = { phone: '+14135552897', conversationId: `CN${'b7'.repeat(16)}`, name: 'Dana Whitfield' };

let stack;
let browser;
let page;
let api;
let line;
let contactId;
let expectedRows; // [{ id, type, direction, label }] oldest first

before(async () => {
  stack = await startStack('browser_timeline');
  line = await ourLine(stack);
  const { events, expected } = contactHistory(line, contact, stack);
  // An hour ago, so that everything sent during the tests is newer.
  const activityIds = await sendScenario(stack, events, { startTime: Date.now() - 3_600_000 });
  const openphoneIdOf = new Map(events.map((event, i) => [event.activity, activityIds[i]]));

  api = await new Api(stack.base).login(stack.owner.email, stack.owner.password);
  const found = await waitFor('the contact created by the webhooks', async () =>
    (await api.get(`/api/v1/contacts?q=${contact.phone.slice(2)}`)).data[0]);
  contactId = found.id;
  await api.patch(`/api/v1/contacts/${contactId}`, { display_name: contact.name });
  // Applying and downloading the media are asynchronous and announce nothing to the page once it
  // is loaded, so the page is opened only when crmd serves every file itself (the page's CSP
  // allows images and audio from crmd or https only).
  const timeline = await waitFor('the history applied and its media downloaded', async () => {
    const activities = await api.timeline(contactId);
    const done = activities.length === expected.length
      && activities.every((a) => a.media.every((m) => m.local_url))
      && activities.some((a) => a.recording_url?.startsWith('/media/'))
      && activities.some((a) => a.voicemail_url?.startsWith('/media/'));
    return done && activities;
  });
  const idOf = new Map(timeline.map((a) => [a.openphone_id, a.id]));
  expectedRows = expected.map((row) => ({ ...row, id: String(idOf.get(openphoneIdOf.get(row.label))) }));

  browser = await launchBrowser();
  page = await browser.newPage({ viewport: viewports.desktop });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

function rows() {
  return page.getByTestId('timeline-item');
}

async function rowAttributes() {
  return rows().evaluateAll((items) =>
    items.map((li) => ({ id: li.dataset.activityId, type: li.dataset.type, direction: li.dataset.direction })));
}

test('logs in through the form, refusing a wrong password first', async () => {
  await page.goto(`${stack.base}/`);
  await page.getByTestId('login-email').fill(stack.owner.email);
  await page.getByTestId('login-password').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-error').waitFor();
  assert.match(await page.getByTestId('login-error').innerText(), /wrong email or password/i);

  await logIn(page, stack.base, stack.owner);
  const item = page.getByTestId('inbox-item');
  await item.first().waitFor(); // the list renders before its first page arrives
  assert.equal(await item.count(), 1);
  assert.equal(await item.getAttribute('data-contact-id'), String(contactId));
  assert.match(await item.innerText(), new RegExp(contact.name));
  for (const file of await screenshots(page, 'inbox')) console.log(`screenshot: ${file}`);
});

test('the contact page shows calls, texts, the picture and the recordings in the order they happened', async () => {
  await page.getByTestId('inbox-item').click();
  await page.waitForURL(`**/contacts/${contactId}`);
  assert.equal(await page.getByTestId('contact-name').innerText(), contact.name);
  await waitFor('every seeded row', async () => (await rows().count()) === expectedRows.length, { timeoutMs: 10_000 });
  await waitForLive(page);

  assert.deepEqual(await rowAttributes(), expectedRows.map(({ id, type, direction }) => ({ id, type, direction })));

  const row = (label) => page.locator(`[data-testid="timeline-item"][data-activity-id="${expectedRows.find((r) => r.label === label).id}"]`);
  // The picture is crmd's copy and really decodes (it is a PNG the harness served as the MMS file).
  const thumb = row('picture').getByTestId('mms-thumb');
  assert.equal(await thumb.count(), 1);
  assert.match(await thumb.getAttribute('src'), /^\/media\/[0-9a-f]{64}$/);
  await thumb.scrollIntoViewIfNeeded();
  await page.waitForFunction(([img, size]) => img.complete && img.naturalWidth === size, [await thumb.elementHandle(), pictureSize]);

  const recording = row('answered-call').getByTestId('recording-player');
  assert.equal(await recording.getAttribute('data-kind'), 'recording');
  assert.match(await recording.getAttribute('src'), /^\/media\/[0-9a-f]{64}$/);
  assert.equal(await row('answered-call').getByTestId('ai-summary').count(), 1);
  assert.equal(await row('answered-call').getByTestId('transcript-toggle').count(), 1);

  const voicemail = row('voicemail').getByTestId('recording-player');
  assert.equal(await voicemail.getAttribute('data-kind'), 'voicemail');
  assert.match(await voicemail.getAttribute('src'), /^\/media\/[0-9a-f]{64}$/);
  assert.equal(await row('missed-call').getByTestId('recording-player').count(), 0);

  for (const file of await screenshots(page, 'contact')) console.log(`screenshot: ${file}`);
});

test('a webhook delivered while the page is open appears without a reload', async () => {
  await page.evaluate(() => {
    window.__sameDocument = true; // gone if the page were reloaded
  });
  const body = 'Also, the crack got wider after the rain last night.';
  const before = await rows().count();
  await sendScenario(stack, [incomingTextEvent(line, contact, body)]);

  const live = rows().filter({ hasText: body });
  await live.waitFor();
  assert.equal(await live.count(), 1);
  assert.equal(await rows().count(), before + 1);
  assert.equal(await page.evaluate(() => window.__sameDocument), true);
  // Newest at the bottom, next to the reply box.
  assert.equal(await rows().last().innerText().then((text) => text.includes(body)), true);
  assert.equal(await rows().last().getAttribute('data-direction'), 'incoming');
});

test('a reply shows exactly once, from the send through the provider answer and the delivery webhook', async () => {
  const body = `We will bring the crack monitor on Thursday (${Date.now()}).`;
  // Counts the rows carrying the text after every DOM change, so a duplicate shown even for one
  // render is caught, not only one still there at the end.
  await page.evaluate((text) => {
    window.__replyMax = 0;
    const count = () => [...document.querySelectorAll('[data-testid="timeline-item"]')].filter((li) => li.textContent.includes(text)).length;
    new MutationObserver(() => {
      window.__replyMax = Math.max(window.__replyMax, count());
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  }, body);

  await page.getByTestId('reply-input').fill(body);
  await page.getByTestId('reply-send').click();
  const reply = rows().filter({ hasText: body });
  await reply.waitFor();
  assert.equal(await reply.getAttribute('data-direction'), 'outgoing');

  // 'delivered' comes only with the emulator's signed message.delivered webhook, which follows
  // its 202 {"status":"sent"} by ~200 ms.
  await page.locator('[data-testid="timeline-item"][data-status="delivered"]', { hasText: body }).waitFor({ timeout: 15_000 });
  assert.equal(await reply.count(), 1);
  assert.equal(await reply.getAttribute('data-pending'), 'false');

  const sent = (await stack.emulatorApi('/_emulator/sent')).data.filter((text) => text.content === body);
  assert.equal(sent.length, 1, 'the provider received the text once');
  const stored = (await api.timeline(contactId)).filter((a) => a.body === body);
  assert.equal(stored.length, 1, 'crmd holds one activity for it');
  assert.equal(stored[0].openphone_id, sent[0].id);
  assert.equal(await reply.getAttribute('data-activity-id'), String(stored[0].id));
  assert.equal(await page.evaluate(() => window.__replyMax), 1, 'never two rows for the text, even briefly');
});
