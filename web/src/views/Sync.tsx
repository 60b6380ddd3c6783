// `/sync`: why the header's dot is not green. The overall verdict and its facts, each number of
// ours, the latest reconciliation ("Reconcile now" for owners) and the failed and dead webhook
// events with Replay. Follows topic `sync`: a `sync.health` frame carries the new verdict (and
// means the event counts changed, so the list is fetched again); `reconcile.*` frames the run.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/endpoints';
import { ApiError, describeError } from '../api/client';
import type { Reconciliation, SyncHealth, WebhookEvent } from '../api/types';
import { EventsTable } from '../components/sync/EventsTable';
import { HealthSummary } from '../components/sync/HealthSummary';
import { NumbersTable } from '../components/sync/NumbersTable';
import { ReconcilePanel } from '../components/sync/ReconcilePanel';
import { fresherHealth, newerReconciliation, orderEvents } from '../domain/sync';
import { useLiveTopics, useResync } from '../hooks/live';
import { useRefState } from '../hooks/ref-state';
import { user } from '../state/session';

/** Only the answer to the latest call of a loader is used: an older one may land after it. */
function useLatest() {
  const seq = useRef(0);
  return () => {
    const mine = ++seq.current;
    return () => mine === seq.current;
  };
}

export function Sync() {
  const [health, setHealth] = useRefState<SyncHealth | null>(null);
  const showHealth = (h: SyncHealth) => setHealth((prev) => fresherHealth(prev, h));
  const [healthError, setHealthError] = useState<string | null>(null);
  const [events, setEvents] = useRefState<WebhookEvent[] | null>(null);
  const [eventsError, setEventsError] = useState<string | null>(null);
  const [run, setRun] = useRefState<Reconciliation | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const healthCall = useLatest();
  const eventsCall = useLatest();

  const loadHealth = () => {
    const current = healthCall();
    api
      .syncHealth()
      .then((h) => {
        if (!current()) return;
        showHealth(h);
        setHealthError(null);
      })
      .catch((e: unknown) => current() && setHealthError(`Sync health could not be loaded: ${describeError(e)}`));
  };
  const loadEvents = () => {
    const current = eventsCall();
    Promise.all([api.webhookEvents('dead'), api.webhookEvents('failed')])
      .then(([dead, failed]) => {
        if (!current()) return;
        setEvents(() => orderEvents(dead.data, failed.data));
        setEventsError(null);
      })
      .catch((e: unknown) => current() && setEventsError(`The webhook events could not be loaded: ${describeError(e)}`));
  };
  const loadRun = () => {
    api
      .reconciliations(1)
      .then((r) => setRun((prev) => newerReconciliation(prev, r.reconciliations?.[0] ?? null)))
      .catch(() => {
        // A crmd without the route (or a failure): the health JSON's summary stands in.
      });
  };
  const loadAll = () => {
    loadHealth();
    loadEvents();
    loadRun();
  };
  useEffect(() => {
    document.title = 'Sync — crmd';
    loadAll();
  }, []);
  useResync(loadAll);

  useLiveTopics(['sync'], (e) => {
    if (e.event === 'sync.health') {
      showHealth(e.data as SyncHealth);
      loadEvents();
    } else if (e.event === 'reconcile.progress' || e.event === 'reconcile.finished') {
      setRun((prev) => newerReconciliation(prev, e.data as Reconciliation));
      if (e.event === 'reconcile.finished') {
        setNote(null);
        loadHealth();
        loadEvents();
      }
    }
  });

  const start = () => {
    setBusy(true);
    setNote(null);
    setStartError(null);
    api
      .startReconciliation()
      .then((r) => {
        setRun((prev) => newerReconciliation(prev, r.reconciliation));
        if (r.already_running) setNote('A reconciliation was already under way; it is shown here.');
      })
      .catch((e: unknown) =>
        setStartError(e instanceof ApiError && e.status === 404 ? 'This server cannot reconcile yet.' : describeError(e)),
      )
      .finally(() => setBusy(false));
  };

  const replayed = (id: number) => {
    setEvents((list) => list?.filter((e) => e.id !== id) ?? null);
    loadEvents();
  };

  const isOwner = user.value?.role === 'owner';
  return (
    <main id="main" class="page sync-page" tabIndex={-1} data-testid="sync-page">
      <h1 class="page-title">Sync with OpenPhone</h1>
      {healthError && <p role="alert">{healthError}</p>}
      {!health && !healthError && <p class="muted">Loading…</p>}
      {health && <HealthSummary health={health} />}
      {health?.phone_numbers && (
        <section aria-label="Phone numbers">
          <NumbersTable numbers={health.phone_numbers} />
        </section>
      )}
      <ReconcilePanel
        run={run}
        summary={health?.reconcile}
        canStart={isOwner}
        busy={busy}
        note={note}
        error={startError}
        onStart={start}
      />
      <section aria-labelledby="sync-events-title">
        <h2 id="sync-events-title">Failed and dead webhook events</h2>
        <p class="muted">Dead events are listed first: they are not retried unless replayed.</p>
        {eventsError && <p role="alert">{eventsError}</p>}
        {events === null && !eventsError && <p class="muted">Loading…</p>}
        {events && <EventsTable events={events} canReplay={isOwner} onReplayed={replayed} />}
      </section>
    </main>
  );
}
