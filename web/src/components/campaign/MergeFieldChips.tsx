// Buttons that insert a merge field at the cursor; the fallback form is shown as a hint.
import { MERGE_FIELDS, mergeToken } from '../../domain/campaign/template';
import type { MergeField } from '../../domain/campaign/template';

export function MergeFieldChips({ onInsert, controls }: { onInsert: (token: string) => void; controls: string }) {
  return (
    <div class="chips" role="group" aria-label="Insert a merge field">
      {MERGE_FIELDS.map((field: MergeField) => (
        <button type="button" class="chip" key={field} aria-controls={controls} onClick={() => onInsert(mergeToken(field))}>
          {mergeToken(field)}
        </button>
      ))}
      <span class="muted chip-hint">
        Fallback for a blank value: <code>{mergeToken('first_name', 'there')}</code>
      </span>
    </div>
  );
}
