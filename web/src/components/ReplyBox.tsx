// Reply to the contact's most recent conversation. Enter sends, Shift+Enter is a newline. The
// 202 answer (a pending activity) goes straight into the timeline through `onSent`.
import { useRef, useState } from 'preact/hooks';
import { describeError } from '../api/client';
import { api } from '../api/endpoints';
import type { Activity } from '../api/types';

const MAX = 1600;

function newKey(): string {
  // getRandomValues, not randomUUID: the latter is missing on plain-http LAN addresses.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function ReplyBox({ conversationId, onSent }: { conversationId: number | null; onSent: (a: Activity) => void }) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One key per draft: retrying the same text after a network error cannot send it twice.
  const key = useRef(newKey());

  const body = text.trim();
  const disabled = conversationId === null;

  const send = async () => {
    if (disabled || sending || body.length === 0 || body.length > MAX) return;
    setSending(true);
    setError(null);
    try {
      onSent(await api.sendMessage(conversationId, body, key.current));
      setText('');
      key.current = newKey();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setSending(false);
    }
  };

  return (
    <form
      class="reply"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <label for="reply-input" class="visually-hidden">
        Reply by text
      </label>
      <textarea
        id="reply-input"
        data-testid="reply-input"
        rows={2}
        maxLength={MAX}
        placeholder={disabled ? 'No conversation to reply to yet' : 'Write a text… (Enter sends, Shift+Enter for a new line)'}
        disabled={disabled}
        value={text}
        onInput={(e) => {
          setText(e.currentTarget.value);
          key.current = newKey();
        }}
        onKeyDown={(e) => {
          // isComposing: Enter that confirms an IME composition must not send.
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void send();
          }
        }}
      />
      <button type="submit" class="btn-primary" data-testid="reply-send" disabled={disabled || sending || body.length === 0}>
        {sending ? 'Sending…' : 'Send'}
      </button>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
