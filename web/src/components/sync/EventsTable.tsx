// Webhook events that failed (still retrying) or are dead (given up), each with its error; owners
// can send one back to be applied. A replayed event is back in the inbox as soon as the server
// answers, so the row goes at once (it returns on the next refresh if applying fails again).
import { useState } from 'preact/hooks';
import { api } from '../../api/endpoints';
import { describeError } from '../../api/client';
import type { WebhookEvent } from '../../api/types';
import { when } from './when';

function EventRow({ event, canReplay, onReplayed }: { event: WebhookEvent; canReplay: boolean; onReplayed: (id: number) => void }) {
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = () => {
    setSending(true);
    setError(null);
    api
      .replayWebhookEvent(event.id)
      .then(() => onReplayed(event.id))
      .catch((e: unknown) => {
        setError(describeError(e));
        setSending(false);
      });
  };
  return (
    <tr data-testid="webhook-event" data-event-id={event.id} data-status={event.status}>
      <td>{when(event.received_at)}</td>
      <td>{event.event_type}</td>
      <td>{event.status}</td>
      <td>{event.attempts}</td>
      <td>
        <code>{event.error_code ?? ''}</code> {event.error_message ?? ''}
      </td>
      <td>
        {canReplay ? (
          <button type="button" class="btn-quiet" data-testid="webhook-replay" onClick={send} disabled={sending}>
            {sending ? 'Replaying…' : 'Replay'}
          </button>
        ) : (
          <span class="muted">owners replay</span>
        )}
        {error && (
          <span role="alert" data-testid="replay-error">
            {' '}
            {error}
          </span>
        )}
      </td>
    </tr>
  );
}

interface Props {
  events: WebhookEvent[];
  canReplay: boolean;
  onReplayed: (id: number) => void;
}

export function EventsTable({ events, canReplay, onReplayed }: Props) {
  if (events.length === 0) return <p data-testid="webhook-events-empty">No failed or dead webhook events.</p>;
  return (
    <div class="table-scroll">
      <table class="events" data-testid="webhook-events">
        <caption class="visually-hidden">Webhook events that need attention, dead first</caption>
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
            <EventRow key={e.id} event={e} canReplay={canReplay} onReplayed={onReplayed} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
