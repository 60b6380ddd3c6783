// The A/B verdict: positive replies over sent texts, A against B (two-proportion z-test, computed by
// crmd). "Not significant yet" until p < 0.05, so nobody stops a test on noise.
import type { AbTest } from '../../api/campaign-types';

export function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

export function AbTestLine({ test }: { test: AbTest }) {
  // Without texts on both sides the server's z and p are not numbers (JSON null).
  if (!Number.isFinite(test.z) || !Number.isFinite(test.p_value)) {
    return (
      <p class="ab-test muted" data-testid="ab-test" data-significant="false">
        A/B test: not enough texts sent yet.
      </p>
    );
  }
  return (
    <p class="ab-test" data-testid="ab-test" data-significant={test.significant ? 'true' : 'false'}>
      A/B test (positive replies per text sent): z = {test.z.toFixed(2)}, p = {formatP(test.p_value)} —{' '}
      <strong>{test.significant ? 'significant' : 'not significant yet'}</strong>
    </p>
  );
}
