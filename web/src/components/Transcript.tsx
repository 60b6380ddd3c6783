// Expandable call transcript. Live events carry no transcript, so it is fetched on first expand.
import { useState } from 'preact/hooks';
import { describeError } from '../api/client';
import { api } from '../api/endpoints';
import type { Activity } from '../api/types';
import { formatDuration, formatPhone } from '../domain/format';

export function Transcript({ activity, onLoaded }: { activity: Activity; onLoaded: (full: Activity) => void }) {
  const [expanded, setExpanded] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const lines = activity.ai_transcript;
  const regionId = `transcript-${activity.id}`;

  const toggle = () => {
    const next = !expanded;
    setExpanded(next);
    if (next && !lines && !loading) {
      setLoading(true);
      setError(null);
      api
        .activity(activity.id)
        .then(onLoaded)
        .catch((e: unknown) => setError(describeError(e)))
        .finally(() => setLoading(false));
    }
  };

  return (
    <div class="transcript-block">
      <button
        type="button"
        class="btn-link"
        data-testid="transcript-toggle"
        aria-expanded={expanded}
        aria-controls={regionId}
        onClick={toggle}
      >
        {expanded ? 'Hide transcript' : 'Show transcript'}
      </button>
      {expanded && (
        <div id={regionId} class="transcript" data-testid="transcript">
          {loading && <p class="muted">Loading transcript…</p>}
          {error && <p role="alert">{error}</p>}
          {!loading && !error && (!lines || lines.length === 0) && <p class="muted">No transcript available.</p>}
          {lines && lines.length > 0 && (
            <ol>
              {lines.map((line, i) => (
                <li key={i}>
                  <span class="transcript-who">{formatPhone(line.identifier) || line.identifier}</span>{' '}
                  <span class="transcript-at">{formatDuration(line.start)}</span>
                  <p>{line.content}</p>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </div>
  );
}
