// Sync health per phone number of ours, worst first.
import type { SyncNumberHealth } from '../../api/types';
import { STATUS_LABEL, formatBusinessSeconds, sortNumbers, syncStatusOf } from '../../domain/sync';
import { formatPhone } from '../../domain/format';
import { when } from './when';

export function NumbersTable({ numbers }: { numbers: SyncNumberHealth[] }) {
  if (numbers.length === 0) return <p class="muted">No phone numbers of ours are known yet.</p>;
  return (
    <div class="table-scroll">
      <table class="events" data-testid="sync-numbers">
        <caption>Phone numbers</caption>
        <thead>
          <tr>
            <th scope="col">Number</th>
            <th scope="col">Status</th>
            <th scope="col">Why</th>
            <th scope="col">Last webhook</th>
            <th scope="col">Quiet for (business hours)</th>
          </tr>
        </thead>
        <tbody>
          {sortNumbers(numbers).map((n) => {
            const status = syncStatusOf(n.status);
            return (
              <tr key={n.phone_number} data-testid="sync-number" data-phone={n.phone_number} data-status={status}>
                <th scope="row">
                  {n.name ? `${n.name} ` : ''}
                  <span class={n.name ? 'muted' : undefined}>{formatPhone(n.phone_number)}</span>
                </th>
                <td>
                  <span class={`dot dot-${status} inline-dot`} aria-hidden="true" />
                  {STATUS_LABEL[status]}
                </td>
                <td>{n.reason}</td>
                <td>{when(n.last_webhook_at, 'none yet')}</td>
                <td>{formatBusinessSeconds(n.silence_business_seconds)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
