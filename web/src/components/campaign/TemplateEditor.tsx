// One message template: merge-field chips, the textarea, the parse error (the browser's own check
// as typed, or the server's 422 after saving), and a live preview for a sample contact with its
// opt-out line and segment count.
import { useRef } from 'preact/hooks';
import { countSegments } from '../../domain/campaign/sms-segments';
import { parseTemplate, renderTemplate } from '../../domain/campaign/template';
import type { MergeValues } from '../../domain/campaign/template';
import { MergeFieldChips } from './MergeFieldChips';
import { SegmentCounter } from './SegmentCounter';

export interface FieldError {
  message: string;
  /** UTF-16 index in the value, when the error has a place. */
  index?: number;
}

interface Props {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  sample: MergeValues;
  optOutLine: string | null;
  serverError?: FieldError | undefined;
  hint?: string;
}

export function TemplateEditor({ id, label, value, onInput, sample, optOutLine, serverError, hint }: Props) {
  const area = useRef<HTMLTextAreaElement>(null);
  const parsed = parseTemplate(value);
  const error: FieldError | undefined = parsed.ok ? serverError : parsed.error;
  const rendered = parsed.ok ? renderTemplate(parsed.parts, sample, optOutLine) : null;

  const insert = (token: string) => {
    const el = area.current;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    onInput(value.slice(0, start) + token + value.slice(end));
    el?.focus();
  };

  const errorId = `${id}-error`;
  return (
    <div class="field template-editor" data-testid={`template-${id}`}>
      <label for={id}>{label}</label>
      {hint && <p class="muted field-hint">{hint}</p>}
      <MergeFieldChips controls={id} onInsert={insert} />
      <textarea
        id={id}
        ref={area}
        rows={4}
        maxLength={1600}
        value={value}
        aria-invalid={error ? 'true' : 'false'}
        aria-describedby={error ? errorId : undefined}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {error && (
        <p class="form-error" id={errorId} role="alert" data-testid="template-error">
          {error.message}
          {error.index !== undefined && ` (character ${error.index + 1})`}
        </p>
      )}
      {rendered !== null && (
        <div class="template-preview">
          <span class="muted">Preview for the sample contact</span>
          <p class="sms-bubble" data-testid="template-preview">
            {rendered}
          </p>
          <SegmentCounter count={countSegments(rendered)} />
        </div>
      )}
    </div>
  );
}
