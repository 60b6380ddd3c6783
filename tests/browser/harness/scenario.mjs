// Seeds crmd the way production is fed: signed webhooks sent by `openphone-emulator
// --scenario-file`. The emulator builds each payload (v3 or v4, as OpenPhone shapes them); the
// entries here pin the parties so that every activity belongs to one contact and one number of
// ours, the media URLs so that crmd can download the files, and `mms: false` on plain texts (the
// emulator would otherwise give some of them pictures on a host that does not exist).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { config } from './config.mjs';
import { run } from './processes.mjs';

// Our first number and its first user in the emulator's REST dataset, so that the texts crmd
// sends through the emulator come from the same number as the seeded history.
export async function ourLine(stack) {
  const { data } = await stack.emulatorApi('/v1/phone-numbers');
  return { phoneNumberId: data[0].id, number: data[0].number, userId: data[0].users[0].id };
}

function parties(version, line, contact, direction) {
  const [from, to] = direction === 'incoming' ? [contact.phone, line.number] : [line.number, contact.phone];
  const common = { from, phoneNumberId: line.phoneNumberId, userId: line.userId };
  return version === 'v4' ? { ...common, to: [to] } : { ...common, to, conversationId: contact.conversationId };
}

// A contact's history, oldest first: what the contact page must show, in this order. The
// emulator dates a file's activities a few seconds apart in entry order from --start-time.
export function contactHistory(line, contact, { mediaBase, emulatorBase }) {
  const incoming = (version) => parties(version, line, contact, 'incoming');
  const outgoing = (version) => parties(version, line, contact, 'outgoing');
  const events = [
    { type: 'message.received', activity: 'first-text', mms: false, version: 'v3',
      fields: { ...incoming('v3'), body: 'Hi, there is a crack in our basement wall.' } },
    { type: 'call.completed', activity: 'answered-call', outcome: 'answered', direction: 'incoming', version: 'v3',
      fields: incoming('v3') },
    { type: 'call.recording.completed', activity: 'answered-call', version: 'v3',
      fields: { ...incoming('v3'), media: [{ duration: 95, type: 'audio/mpeg', url: `${emulatorBase}/r/CRbrowsertest0001.mp3` }] } },
    { type: 'call.summary.completed', activity: 'answered-call', version: 'v3' },
    { type: 'call.transcript.completed', activity: 'answered-call', version: 'v3' },
    { type: 'message.delivered', activity: 'our-text', direction: 'outgoing', mms: false, version: 'v4',
      fields: { ...outgoing('v4'), text: 'We can come by Thursday at 10.', status: 'delivered' } },
    { type: 'call.completed', activity: 'missed-call', outcome: 'missed', direction: 'incoming', version: 'v3',
      fields: incoming('v3') },
    { type: 'message.received', activity: 'picture', mms: true, version: 'v4',
      fields: { ...incoming('v4'), text: 'Here is a picture of the crack.', status: 'received',
                media: [{ type: 'image/png', url: `${mediaBase}/m/crack-0001.png` }] } },
    { type: 'call.completed', activity: 'voicemail', outcome: 'voicemail', direction: 'incoming', version: 'v3',
      fields: { ...incoming('v3'), voicemail: { duration: 21, type: 'audio/mpeg', url: `${emulatorBase}/v/VMbrowsertest0001.mp3` } } },
  ];
  // What the page shows per activity, in the order they happened.
  const expected = [
    { label: 'first-text', type: 'message', direction: 'incoming' },
    { label: 'answered-call', type: 'call', direction: 'incoming' },
    { label: 'our-text', type: 'message', direction: 'outgoing' },
    { label: 'missed-call', type: 'call', direction: 'incoming' },
    { label: 'picture', type: 'message', direction: 'incoming' },
    // crmd applies a call that went to voicemail as a missed call carrying voicemail_url (the
    // schema's activity_type 'voicemail' is not used for it); the row shows a voicemail player.
    { label: 'voicemail', type: 'call', direction: 'incoming' },
  ];
  return { events, expected };
}

// One incoming text, as OpenPhone delivers it the moment it arrives.
export function incomingTextEvent(line, contact, body) {
  return { type: 'message.received', version: 'v3', mms: false, fields: { ...parties('v3', line, contact, 'incoming'), body } };
}

// Sends the events through the emulator, one after another (each a wave of its own, so a call's
// follow-ups come after the call). Resolves with the OpenPhone activity id (AC…) each event
// changed, in the events' order (from the emulator's --expect-out); throws unless every delivery
// was acknowledged.
export async function sendScenario(stack, events, { startTime } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'crmd-scenario-'));
  try {
    const file = path.join(dir, 'scenario.json');
    const expectOut = path.join(dir, 'expect.json');
    writeFileSync(file, JSON.stringify({ api_version: 'v3', events: events.map((e, i) => ({ order: i, ...e })) }));
    const args = ['--scenario-file', file, '--url', stack.webhookUrl, '--key', stack.webhookSecret,
                  '--expect-out', expectOut, '--retry-for', '20'];
    if (startTime !== undefined) args.push('--start-time', String(startTime));
    const { code, output } = await run(config.emulator, args);
    if (code !== 0) throw new Error(`openphone-emulator --scenario-file exited with ${code}:\n${output}`);
    return JSON.parse(readFileSync(expectOut, 'utf8')).events.map((e) => e.activity_id);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
