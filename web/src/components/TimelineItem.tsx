// One activity in the timeline: icon and colour by classification, body, MMS thumbnails,
// recordings, AI summary and transcript.
import type { Activity } from '../api/types';
import { classify } from '../domain/classify';
import { formatDuration, formatTime } from '../domain/format';
import { isImage, mediaSrc } from '../domain/media';
import { Icon } from './icons';
import { Transcript } from './Transcript';

export interface TimelineItemProps {
  activity: Activity;
  onOpenImage: (src: string, alt: string, opener: HTMLElement) => void;
  onActivityLoaded: (full: Activity) => void;
}

export function TimelineItem({ activity: a, onOpenImage, onActivityLoaded }: TimelineItemProps) {
  const c = classify(a);
  const media = a.media ?? [];
  const images = media.filter(isImage);
  const files = media.filter((m) => !isImage(m));
  const duration = a.activity_type !== 'message' ? formatDuration(a.duration_seconds) : '';
  const showTranscript = a.has_transcript || (a.ai_transcript?.length ?? 0) > 0;
  const who = a.direction === 'incoming' ? 'from the contact' : 'sent';

  return (
    <li
      class={`tl-item tone-${c.tone} dir-${a.direction}${c.delivery === 'pending' ? ' is-pending' : ''}`}
      data-testid="timeline-item"
      data-activity-id={a.id}
      data-type={a.activity_type}
      data-direction={a.direction}
      data-status={a.status ?? ''}
      data-pending={a.pending ? 'true' : 'false'}
    >
      <span class="tl-icon">
        <Icon name={c.icon} size={18} />
      </span>
      <div class="tl-bubble">
        <div class="tl-head">
          <span class="tl-label">{c.label}</span>
          {duration && <span class="tl-duration">{duration}</span>}
          <time dateTime={a.occurred_at}>{formatTime(a.occurred_at)}</time>
          {c.statusLabel && (
            <span class={`tl-status status-${c.delivery ?? 'call'}`}>
              {c.delivery === 'failed' && <Icon name="alert" size={14} />}
              {c.statusLabel}
            </span>
          )}
        </div>
        {a.body && <p class="tl-body">{a.body}</p>}
        {images.length > 0 && (
          <div class="tl-media">
            {images.map((m, i) => {
              const alt = `Picture ${i + 1} ${who}`;
              return (
                <button
                  key={i}
                  type="button"
                  class="thumb"
                  aria-label={`View ${alt.toLowerCase()} full size`}
                  onClick={(e) => onOpenImage(mediaSrc(m), alt, e.currentTarget)}
                >
                  <img data-testid="mms-thumb" src={mediaSrc(m)} alt={alt} loading="lazy" width={120} height={120} />
                </button>
              );
            })}
          </div>
        )}
        {files.map((m, i) => (
          <a key={i} class="tl-file" href={mediaSrc(m)} target="_blank" rel="noopener noreferrer">
            <Icon name="image" size={16} /> Attachment{m.type ? ` (${m.type})` : ''}
          </a>
        ))}
        {a.recording_url && <Player src={a.recording_url} kind="recording" label="Call recording" />}
        {a.voicemail_url && <Player src={a.voicemail_url} kind="voicemail" label="Voicemail" />}
        <AiNotes activity={a} />
        {showTranscript && <Transcript activity={a} onLoaded={onActivityLoaded} />}
      </div>
    </li>
  );
}

function Player({ src, kind, label }: { src: string; kind: 'recording' | 'voicemail'; label: string }) {
  // preload="none": a long timeline must not download every recording on open.
  return (
    <audio class="tl-audio" data-testid="recording-player" data-kind={kind} controls preload="none" src={src} aria-label={label}>
      <a href={src}>{label}</a>
    </audio>
  );
}

function AiNotes({ activity: a }: { activity: Activity }) {
  const summary = a.ai_summary ?? [];
  const steps = a.ai_next_steps ?? [];
  if (summary.length === 0 && steps.length === 0) {
    return a.ai_content_status === 'pending' ? <p class="ai-pending muted">AI summary in progress…</p> : null;
  }
  return (
    <section class="ai-notes" data-testid="ai-summary" aria-label="AI summary">
      {summary.length > 0 && (
        <>
          <h3>Summary</h3>
          <ul>
            {summary.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ul>
        </>
      )}
      {steps.length > 0 && (
        <>
          <h3>Next steps</h3>
          <ul>
            {steps.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
