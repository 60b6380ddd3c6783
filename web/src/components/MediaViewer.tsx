// Full-size image viewer: a modal <dialog>, so Esc, focus trapping and the backdrop come from the
// browser. Focus returns to the thumbnail that opened it.
import { useEffect, useRef } from 'preact/hooks';
import { Icon } from './icons';

export interface ViewedMedia {
  src: string;
  alt: string;
  opener: HTMLElement | null;
}

export function MediaViewer({ media, onClose }: { media: ViewedMedia; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    return () => media.opener?.focus();
  }, [media]);

  return (
    <dialog
      ref={dialog}
      class="media-viewer"
      data-testid="media-viewer"
      aria-label={media.alt}
      onClose={onClose}
      onClick={(e) => {
        // A click on the backdrop lands on the dialog element itself.
        if (e.target === e.currentTarget) e.currentTarget.close();
      }}
    >
      <div class="media-viewer-bar">
        <a href={media.src} target="_blank" rel="noopener noreferrer">
          Open original
        </a>
        <button type="button" class="btn-quiet" onClick={() => dialog.current?.close()} aria-label="Close image">
          <Icon name="close" />
        </button>
      </div>
      <img src={media.src} alt={media.alt} />
    </dialog>
  );
}
