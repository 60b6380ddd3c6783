// Small labelled inputs shared by the builder's sections; each shows its own server error.
import type { ComponentChildren } from 'preact';
import type { CampaignForm } from '../../domain/campaign/form';
import type { FieldError } from './TemplateEditor';

export interface SectionProps {
  form: CampaignForm;
  set: (patch: Partial<CampaignForm>) => void;
  errors: Readonly<Record<string, FieldError>>;
}

export function FieldMessage({ id, error }: { id: string; error: FieldError | undefined }) {
  if (!error) return null;
  return (
    <p class="form-error" id={`${id}-error`} role="alert">
      {error.message}
    </p>
  );
}

interface InputProps {
  id: string;
  label: string;
  error?: FieldError | undefined;
  children?: ComponentChildren;
}

export function TextField({ id, label, error, value, onInput, type = 'text', ...rest }: InputProps & {
  value: string | number;
  onInput: (value: string) => void;
  type?: string;
  min?: number;
  max?: number;
  placeholder?: string;
  required?: boolean;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        aria-invalid={error ? 'true' : 'false'}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(e) => onInput(e.currentTarget.value)}
        {...rest}
      />
      <FieldMessage id={id} error={error} />
    </div>
  );
}

export function Checkbox({ id, label, checked, onChange }: { id: string; label: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <div class="check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} />
      <label for={id}>{label}</label>
    </div>
  );
}

/** A whole number from an input, or the fallback while the field is being edited empty. */
export function toInt(value: string, fallback: number): number {
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : fallback;
}
