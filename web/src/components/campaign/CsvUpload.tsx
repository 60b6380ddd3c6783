// Adds members from a CSV file (header row; a `phone` column, optional first_name, last_name,
// company, email, street, city, state, postal_code, tags) and shows what the server made of it.
import { useState } from 'preact/hooks';
import { describeError } from '../../api/client';
import { campaignApi } from '../../api/campaigns';
import type { CsvUploadResult } from '../../api/campaign-types';

export function CsvUpload({ campaignId, onAdded }: { campaignId: number; onAdded: () => void }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CsvUploadResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const upload = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const res = await campaignApi.uploadCsv(campaignId, await file.text());
      setResult(res);
      onAdded();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="field csv-upload" data-testid="csv-upload">
      <label for="csv-file">Add members from a CSV file</label>
      <p class="muted field-hint">
        Header row with a <code>phone</code> column; optional first_name, last_name, company, email, street, city, state, postal_code, tags.
      </p>
      <input id="csv-file" type="file" accept=".csv,text/csv" disabled={busy} onChange={(e) => void upload(e.currentTarget.files?.[0])} />
      {busy && <p class="muted">Uploading…</p>}
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div role="status" data-testid="csv-result">
          <p>
            Added <strong>{result.added}</strong> {result.added === 1 ? 'member' : 'members'}
            {!!result.duplicates && `, ${result.duplicates} already in the campaign`}
            {!!result.skipped_opted_out && `, ${result.skipped_opted_out} opted out (skipped)`}.
          </p>
          {result.errors.length > 0 && (
            <ul class="csv-errors" aria-label="Rows not added">
              {result.errors.map((e) => (
                <li key={e.line} data-testid="csv-error">
                  Line {e.line}: {e.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
