// Live-update latency, webhook acknowledged → row on screen: with a contact page open in Debian's
// Chromium, sends N signed incoming texts for that contact one at a time and measures, for each,
// from the moment crmd's 2xx reached the sender to the moment the page rendered the row (a
// MutationObserver in the page stamps Date.now() when each timeline-item is added, with its
// data-activity-id, keyed by the text the harness sent; same machine, same clock).
// A benchmark, not a test: it prints the figures and asserts nothing about them.
//   CRM_TEST_DATABASE_URL=postgresql://…/postgres node tests/bench/live_latency.mjs [N=200]
// Same harness and environment variables as tests/browser (see tests/browser/README.md).
import { loadavg } from 'node:os';
import { Api, waitFor } from '../browser/harness/api.mjs';
import { launchBrowser, logIn, viewports, waitForLive } from '../browser/harness/browser.mjs';
import { ourLine } from '../browser/harness/scenario.mjs';
import { startStack } from '../browser/harness/stack.mjs';
import { deliver, incomingText } from '../browser/harness/webhooks.mjs';

const count = Number(process.argv[2] ?? 200);
const contact = { phone: '+14135550123', conversationId: `CN${'c3'.repeat(16)}` };

// Linear interpolation between ranks, as PostgreSQL's percentile_cont (and the emulator) does.
function percentile(sorted, p) {
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

async function send(stack, line, text) {
  const body = incomingText({
    contact: contact.phone,
    ours: line.number,
    phoneNumberId: line.phoneNumberId,
    conversationId: contact.conversationId,
    userId: line.userId,
    body: text,
  });
  const answer = await deliver(stack.webhookUrl, body, stack.webhookSecret);
  if (answer.status < 200 || answer.status > 299) throw new Error(`webhook answered ${answer.status}: ${answer.body}`);
  return answer.ackedAt;
}

const stack = await startStack('bench_live_latency');
let browser;
try {
  const line = await ourLine(stack);
  // The contact and its conversation come from a first text, so the page has something to open.
  await send(stack, line, 'Hello, is this the foundation repair company?');
  const api = await new Api(stack.base).login(stack.owner.email, stack.owner.password);
  const { id: contactId } = await waitFor('the contact', async () =>
    (await api.get(`/api/v1/contacts?q=${contact.phone.slice(2)}`)).data[0]);

  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: viewports.desktop });
  await logIn(page, stack.base, stack.owner);
  await page.goto(`${stack.base}/contacts/${contactId}`);
  await page.getByTestId('timeline-item').first().waitFor();
  await waitForLive(page);
  await page.evaluate(() => {
    window.__rendered = new Map(); // body text → { id, at }: the harness knows its texts, not crmd's ids
    const stamp = (li) => {
      const text = li.querySelector('.tl-body')?.textContent ?? '';
      if (!window.__rendered.has(text)) window.__rendered.set(text, { id: li.dataset.activityId, at: Date.now() });
    };
    new MutationObserver((mutations) => {
      for (const mutation of mutations)
        for (const node of mutation.addedNodes) {
          if (!(node instanceof Element)) continue;
          if (node.matches('[data-testid="timeline-item"]')) stamp(node);
          node.querySelectorAll('[data-testid="timeline-item"]').forEach(stamp);
        }
    }).observe(document.querySelector('[data-testid="timeline"]'), { childList: true, subtree: true });
  });

  const loadBefore = loadavg();
  const latencies = [];
  const rowIds = new Set();
  for (let i = 0; i < count; i++) {
    const text = `Bench message ${i + 1} of ${count} (${Date.now()})`;
    const ackedAt = await send(stack, line, text);
    const handle = await page.waitForFunction((t) => window.__rendered.get(t), text, { timeout: 15_000 });
    const { id, at } = await handle.jsonValue();
    rowIds.add(id);
    latencies.push(at - ackedAt);
  }
  // Each text must have become a row of its own, or the figures measure something else.
  if (rowIds.size !== count) throw new Error(`${count} texts rendered as ${rowIds.size} distinct rows`);
  const loadAfter = loadavg();

  const sorted = [...latencies].sort((a, b) => a - b);
  const figures = {
    samples: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1),
    min: sorted[0],
    loadavg_before: loadBefore.map((l) => Number(l.toFixed(2))),
    loadavg_after: loadAfter.map((l) => Number(l.toFixed(2))),
  };
  console.log(`live latency (webhook 2xx → row rendered), ${figures.samples} texts one at a time:`);
  console.log(`  p50 ${figures.p50.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms, max ${figures.max} ms (min ${figures.min} ms; target p99 < 300 ms)`);
  console.log(`  load average before ${figures.loadavg_before.join(' ')}, after ${figures.loadavg_after.join(' ')}`);
  console.log(JSON.stringify({ bench: 'live_latency', ...figures }));
} finally {
  await browser?.close();
  await stack.stop();
}
