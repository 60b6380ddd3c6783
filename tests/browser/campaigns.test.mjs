// The campaign pages in a real browser against a real crmd: from the inbox to the campaign list,
// a new draft built through the form, members added from a CSV file, and the audience preview
// showing them with their rendered texts.
//   node tests/browser/campaigns.test.mjs   (CRM_TEST_DATABASE_URL set; see tests/browser/README.md)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Api } from './harness/api.mjs';
import { launchBrowser, logIn, screenshots, viewports } from './harness/browser.mjs';
import { startStack } from './harness/stack.mjs';

let stack;
let browser;
let page;
let api;
let campaignId;

before(async () => {
  stack = await startStack('browser_campaigns');
  api = await new Api(stack.base).login(stack.owner.email, stack.owner.password);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: viewports.desktop });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('the campaign list opens from the navigation', async () => {
  await logIn(page, stack.base, stack.owner);
  await page.getByTestId('nav-campaigns').click();
  await page.waitForURL('**/campaigns');
  await page.getByText('No campaigns yet.').waitFor();
  await page.getByTestId('campaign-new').click();
  await page.waitForURL('**/campaigns/new');
});

test('a draft is saved from the builder, with the live preview as typed', async () => {
  await page.getByLabel('Name', { exact: true }).fill('Spring foundation check');
  const message = page.getByLabel('Message', { exact: true });
  await message.fill('Hi {first_name|there}, spring thaw can widen foundation cracks. Free check this week?');
  const editor = page.getByTestId('template-template_a');
  assert.equal(
    await editor.getByTestId('template-preview').innerText(),
    'Hi Maria, spring thaw can widen foundation cracks. Free check this week?\nReply STOP to opt out',
  );
  assert.equal(await editor.getByTestId('segment-counter').getAttribute('data-encoding'), 'gsm7');
  await message.fill('Hi {frist_name}');
  await editor.getByTestId('template-error').waitFor();
  await message.fill('Hi {first_name|there}, free foundation check this week?');
  await page.getByLabel('Tags (any of, comma-separated)').fill('spring-2026');

  await page.getByTestId('campaign-save').click();
  await page.waitForURL(/\/campaigns\/\d+\/edit$/);
  campaignId = Number(/\/campaigns\/(\d+)\/edit$/.exec(page.url())[1]);
  const saved = await api.get(`/api/v1/campaigns/${campaignId}`);
  assert.equal(saved.status, 'draft');
  assert.equal(saved.template_a, 'Hi {first_name|there}, free foundation check this week?');
  assert.deepEqual(saved.audience, { tags: ['spring-2026'] });
  await page.getByTestId('audience-preview').waitFor();
  assert.equal(await page.getByTestId('audience-count').innerText(), '0');
});

test('members from a CSV show in the audience preview with their texts', async () => {
  const csv = ['phone,first_name,last_name,tags', '+14134421001,Ada,Stone,spring-2026', '+14134421002,,Cole,', 'not-a-number,Cy,Bad,'].join('\n');
  await page.getByLabel('Add members from a CSV file').setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const result = page.getByTestId('csv-result');
  await result.waitFor();
  assert.match(await result.innerText(), /Added 2 members/);
  assert.equal(await page.getByTestId('csv-error').count(), 1);
  assert.match(await page.getByTestId('csv-error').innerText(), /^Line 4: /);

  await page.locator('[data-testid="audience-preview"][data-count="2"]').waitFor();
  const samples = await page.getByTestId('audience-sample').allInnerTexts();
  assert.equal(samples.length, 2);
  assert.ok(samples.some((row) => row.includes('Hi Ada, free foundation check this week?')), samples.join('\n---\n'));
  assert.ok(samples.some((row) => row.includes('Hi there, free foundation check this week?')), samples.join('\n---\n'));
  for (const file of await screenshots(page, 'campaign-builder')) console.log(`screenshot: ${file}`);
});

test('the draft’s page offers launch and cancel to the owner', async () => {
  await page.getByText('Done', { exact: true }).click();
  await page.waitForURL(`**/campaigns/${campaignId}`);
  await page.getByTestId('campaign-detail').waitFor();
  assert.equal(await page.getByTestId('campaign-status').getAttribute('data-status'), 'draft');
  assert.equal(await page.getByTestId('campaign-launch').isEnabled(), true);
  assert.equal(await page.getByTestId('campaign-cancel').isEnabled(), true);
  assert.equal(await page.getByTestId('campaign-progress').getAttribute('data-sent'), '0');
});
