// Signed webhook deliveries from node, exactly as OpenPhone (and the emulator's signer) sends
// them: header `openphone-signature: hmac;1;<unix ms>;<base64 HMAC-SHA256(key, "<ms>." + body)>`
// with the key base64-decoded from the signing secret (openphone-api.md §7). For the benchmark,
// which must know the moment each delivery was acknowledged.
import { createHmac, randomBytes } from 'node:crypto';

export function signature(body, secretBase64, ms = Date.now()) {
  const digest = createHmac('sha256', Buffer.from(secretBase64, 'base64')).update(`${ms}.${body}`).digest('base64');
  return `hmac;1;${ms};${digest}`;
}

// POSTs one delivery; resolves with { status, body, ackedAt } where ackedAt is Date.now() when
// the answer's headers arrived.
export async function deliver(url, body, secretBase64) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'openphone-signature': signature(body, secretBase64) },
    body,
  });
  const ackedAt = Date.now();
  return { status: response.status, body: await response.text(), ackedAt };
}

// OpenPhone-style ids: a prefix and 32 hex digits.
function openphoneId(prefix) {
  return prefix + randomBytes(16).toString('hex');
}

// A v3 `message.received` delivery body: an incoming text from `contact` to our number.
export function incomingText({ contact, ours, phoneNumberId, conversationId, userId, body, at = new Date() }) {
  const envelope = {
    id: openphoneId('EV'),
    object: 'event',
    apiVersion: 'v3',
    createdAt: at.toISOString(),
    type: 'message.received',
    data: {
      object: {
        id: openphoneId('AC'),
        object: 'message',
        from: contact,
        to: ours,
        direction: 'incoming',
        body,
        media: [],
        status: 'received',
        createdAt: at.toISOString(),
        userId,
        phoneNumberId,
        conversationId,
      },
    },
  };
  return JSON.stringify(envelope);
}
