// Display rules for sync health and reconciliations (the header dot and /sync). The health JSON
// grew in issue 8 and a page may meet an older crmd, so every reader here tolerates a missing field.
import type { Reconciliation, ReconciliationStatus, SyncHealth, SyncNumberHealth, SyncStatus, WebhookEvent } from '../api/types';

const STATUSES: readonly SyncStatus[] = ['green', 'amber', 'red'];

/** A status the app does not know is shown amber: a reason to look, never a reason to reassure. */
export function syncStatusOf(value: unknown): SyncStatus {
  return STATUSES.includes(value as SyncStatus) ? (value as SyncStatus) : 'amber';
}

export const STATUS_LABEL: Record<SyncStatus, string> = { green: 'In sync', amber: 'Degraded', red: 'Failing' };

/** The dot's status and text from a health answer or frame, whatever shape it has. */
export function verdictOf(health: Partial<SyncHealth> | null | undefined): { status: SyncStatus; reason: string } {
  const status = syncStatusOf(health?.status);
  const reason = typeof health?.reason === 'string' && health.reason ? health.reason : STATUS_LABEL[status];
  return { status, reason };
}

function checkedAt(health: Partial<SyncHealth> | null | undefined): number {
  const t = Date.parse(health?.checked_at ?? '');
  return Number.isNaN(t) ? NaN : t;
}

/**
 * Which health to show: the page's GET and a `sync.health` frame may cross, so an answer checked
 * earlier than the one shown is dropped. Without a usable `checked_at` the incoming one wins.
 */
export function fresherHealth<T extends Partial<SyncHealth>>(current: T | null, incoming: T): T {
  const was = checkedAt(current);
  const now = checkedAt(incoming);
  return current && !Number.isNaN(was) && !Number.isNaN(now) && now < was ? current : incoming;
}

const SEVERITY: Record<SyncStatus, number> = { red: 0, amber: 1, green: 2 };

/** Per-number rows, worst first, then by number: what needs attention is at the top. */
export function sortNumbers(numbers: readonly SyncNumberHealth[] | null | undefined): SyncNumberHealth[] {
  return [...(numbers ?? [])].sort(
    (a, b) => SEVERITY[syncStatusOf(a.status)] - SEVERITY[syncStatusOf(b.status)] || a.phone_number.localeCompare(b.phone_number),
  );
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Business-hours seconds as "under a minute", "12 min", "3 h 05 min"; '' when unknown. */
export function formatBusinessSeconds(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** 0.034 → "3.4%"; '' when the server does not report a ratio. */
export function formatRatio(ratio: number | null | undefined): string {
  if (typeof ratio !== 'number' || !Number.isFinite(ratio)) return '';
  const percent = Math.max(0, ratio) * 100;
  return `${percent < 10 ? percent.toFixed(1).replace(/\.0$/, '') : Math.round(percent)}%`;
}

export const CIRCUIT_LABEL: Record<string, string> = {
  closed: 'calls go through',
  open: 'calls paused after errors',
  half_open: 'trying calls again',
};

/** Dead events first (they never retry by themselves), each group newest first; one row per id. */
export function orderEvents(dead: readonly WebhookEvent[], failed: readonly WebhookEvent[]): WebhookEvent[] {
  const seen = new Set<number>();
  const out: WebhookEvent[] = [];
  for (const group of [dead, failed]) {
    for (const event of [...group].sort((a, b) => b.id - a.id)) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      out.push(event);
    }
  }
  return out;
}

export function isActive(status: ReconciliationStatus | string | null | undefined): boolean {
  return status === 'pending' || status === 'running';
}

const PROGRESS: Record<string, number> = { pending: 0, running: 1, completed: 2, failed: 2 };

/**
 * Which of two copies of "the latest reconciliation" to show: a newer run wins; for the same run
 * the one further along (a `reconcile.progress` frame can arrive after the page's GET that already
 * saw it finished), and on a tie the incoming copy.
 */
export function newerReconciliation(current: Reconciliation | null, incoming: Reconciliation | null): Reconciliation | null {
  if (!incoming) return current;
  if (!current || incoming.id > current.id) return incoming;
  if (incoming.id < current.id) return current;
  return (PROGRESS[incoming.status] ?? 0) >= (PROGRESS[current.status] ?? 0) ? incoming : current;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function things(messages: number, calls: number): string {
  if (messages === 0 && calls === 0) return 'nothing';
  return [messages ? plural(messages, 'message') : '', calls ? plural(calls, 'call') : ''].filter(Boolean).join(' and ');
}

/** One line per fact of a run's report; empty while it has none. */
export function reportLines(r: Pick<Reconciliation, 'report'>): string[] {
  const report = r.report;
  if (!report) return [];
  const lines: string[] = [];
  if (report.checked) lines.push(`Checked ${things(count(report.checked.messages), count(report.checked.calls))} with OpenPhone.`);
  if (report.missing_found) {
    const missing = things(count(report.missing_found.messages), count(report.missing_found.calls));
    lines.push(missing === 'nothing' ? 'Nothing was missing.' : `Found ${missing} missing from the record.`);
  }
  if (report.fixed) {
    const replayed = count(report.fixed.webhook_events);
    if (replayed > 0) lines.push(`${plural(replayed, 'failed webhook event')} applied again.`);
  }
  if (report.still_failing) {
    const failing = count(report.still_failing.webhook_events);
    if (failing > 0) lines.push(`${plural(failing, 'webhook event')} still failing.`);
  }
  if (typeof report.requests === 'number') lines.push(`${plural(report.requests, 'request')} to OpenPhone.`);
  return lines;
}

/** The health JSON's short summary of the latest run, for when the full run cannot be fetched. */
export function summaryLines(reconcile: NonNullable<SyncHealth['reconcile']>): string[] {
  const lines: string[] = [];
  if (typeof reconcile.missing_found === 'number')
    lines.push(reconcile.missing_found === 0 ? 'Nothing was missing.' : `Found ${plural(reconcile.missing_found, 'item')} missing from the record.`);
  if (typeof reconcile.still_failing === 'number' && reconcile.still_failing > 0)
    lines.push(`${plural(reconcile.still_failing, 'webhook event')} still failing.`);
  return lines;
}

export const RECONCILE_LABEL: Record<string, string> = {
  pending: 'Waiting to start',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
};

export const TRIGGER_LABEL: Record<string, string> = {
  schedule: 'nightly schedule',
  api: 'started here',
  cli: 'started from the command line',
};
