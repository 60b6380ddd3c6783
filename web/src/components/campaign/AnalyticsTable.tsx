// The per-variant numbers behind the chart, with the total row.
import type { Variant, VariantNumbers } from '../../api/campaign-types';
import { MEASURES } from './VariantChart';

export function AnalyticsTable({ variants, total }: { variants: [Variant, VariantNumbers][]; total: VariantNumbers }) {
  return (
    <table class="events analytics" data-testid="analytics-table">
      <caption>Results per variant</caption>
      <thead>
        <tr>
          <th scope="col">Variant</th>
          {MEASURES.map((m) => (
            <th scope="col" key={m.key}>
              {m.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {variants.map(([v, n]) => (
          <tr key={v} data-variant={v}>
            <th scope="row">{v === 'E' ? 'E (existing)' : v}</th>
            {MEASURES.map((m) => (
              <td key={m.key}>{n[m.key]}</td>
            ))}
          </tr>
        ))}
        <tr data-variant="total">
          <th scope="row">Total</th>
          {MEASURES.map((m) => (
            <td key={m.key}>{total[m.key]}</td>
          ))}
        </tr>
      </tbody>
    </table>
  );
}
