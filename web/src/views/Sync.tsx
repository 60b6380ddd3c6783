// Sync details: why the header's dot is not green. Webhook events that failed (still retrying) or
// are dead (given up), newest first, each with its error; owners can send one back to be applied.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/endpoints';
import type { WebhookEvent } from '../api/types';
import { ApiError } from '../api/client';
import { user } from '../state/session';

type Replay = 'sending' | 'sent' | string;

function EventRow({ event, canReplay }: { event: WebhookEvent; canReplay: boolean }) {
  const [replay, setReplay] = useState<Replay | null>(null);
  const send = () => {
    setReplay('sending');
    api
      .replayWebhookEvent(event.id)
      .then(() => setReplay('sent'))
      .catch((e: unknown) => setReplay(e instanceof ApiError ? e.message : 'Replay failed'));
  };
  return (
    <tr data-testid="webhook-event" data-status={event.status}>
      <td>{new Date(event.received_at).toLocaleString()}</td>
      <td>{event.event_type}</td>
      <td>{event.status}</td>
      <td>{event.attempts}</td>
      <td>
        <code>{event.error_code ?? ''}</code> {event.error_message ?? ''}
      </td>
      <td>
        {canReplay ? (
          <button type="button" onClick={send} disabled={replay === 'sending' || replay === 'sent'}>
            {replay === 'sent' ? 'Replaying' : 'Replay'}
          </button>
        ) : (
          <span class="muted">owners replay</span>
        )}
        {replay && replay !== 'sending' && replay !== 'sent' && <span role="alert"> {replay}</span>}
      </td>
    </tr>
  );
}

export function Sync() {
  const [events, setEvents] = useState<WebhookEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    Promise.all([api.webhookEvents('dead'), api.webhookEvents('failed')])
      .then(([dead, failed]) => setEvents([...dead.data, ...failed.data]))
      .catch(() => setError('The webhook events could not be loaded.'));
  }, []);
  const canReplay = user.value?.role === 'owner';
  return (
    <main id="main" class="page" tabIndex={-1}>
      <h1>Sync details</h1>
      {error && <p role="alert">{error}</p>}
      {events === null && !error && <p class="muted">Loading…</p>}
      {events && events.length === 0 && <p>No failed or dead webhook events.</p>}
      {events && events.length > 0 && (
        <table class="events">
          <caption>Webhook events that need attention (dead first)</caption>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Error</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <EventRow key={e.id} event={e} canReplay={canReplay} />
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
