// Grouped horizontal bars: for each measure one bar per variant, scaled to the largest count. The
// numbers are in the table next to it; the chart is for the shape (role=img with a summary).
import type { Variant, VariantNumbers } from '../../api/campaign-types';

export const MEASURES: { key: keyof VariantNumbers; label: string }[] = [
  { key: 'sent', label: 'Sent' },
  { key: 'delivered', label: 'Delivered' },
  { key: 'failed', label: 'Failed' },
  { key: 'replies', label: 'Replies' },
  { key: 'positive', label: 'Positive' },
  { key: 'negative', label: 'Negative' },
  { key: 'neutral', label: 'Neutral' },
  { key: 'opt_outs', label: 'Opt-outs' },
];

const LABEL_W = 80;
const BAR_H = 10;
const GAP = 8;
const WIDTH = 420;
const COUNT_W = 40;

export function VariantChart({ variants }: { variants: [Variant, VariantNumbers][] }) {
  if (variants.length === 0) return null;
  const max = Math.max(1, ...variants.flatMap(([, n]) => MEASURES.map((m) => n[m.key])));
  const groupH = variants.length * BAR_H + GAP;
  const height = MEASURES.length * groupH;
  const scale = (WIDTH - LABEL_W - COUNT_W) / max;
  const summary = variants
    .map(([v, n]) => `variant ${v}: ${n.sent} sent, ${n.replies} replies, ${n.positive} positive, ${n.opt_outs} opt-outs`)
    .join('; ');
  return (
    <figure class="variant-chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={`Results per variant: ${summary}`} data-testid="variant-chart">
        {MEASURES.map((m, row) => (
          <g key={m.key} transform={`translate(0 ${row * groupH})`}>
            <text x={0} y={(variants.length * BAR_H) / 2 + 4} class="chart-label">
              {m.label}
            </text>
            {variants.map(([v, n], i) => (
              <g key={v}>
                <rect x={LABEL_W} y={i * BAR_H} width={Math.max(n[m.key] * scale, n[m.key] > 0 ? 1 : 0)} height={BAR_H - 2} class={`bar bar-${v}`} />
                <text x={LABEL_W + n[m.key] * scale + 4} y={i * BAR_H + BAR_H - 2} class="chart-count">
                  {n[m.key]}
                </text>
              </g>
            ))}
          </g>
        ))}
      </svg>
      <figcaption class="chart-legend">
        {variants.map(([v]) => (
          <span key={v}>
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" class={`bar bar-${v}`} />
            </svg>{' '}
            {v === 'E' ? 'Existing customers' : `Variant ${v}`}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
