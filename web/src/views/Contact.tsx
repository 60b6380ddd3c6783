// `/contacts/:id`: contact card, unified timeline, reply box.
//
// The timeline reads like a phone's message thread: oldest at the top, newest at the bottom next to
// the reply box, so a text sent from here appears where it was typed, and older pages load when
// scrolling up. The timeline is its own scroll container so the reply box stays in view.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/client';
import { api } from '../api/endpoints';
import type { Activity, ContactDetail } from '../api/types';
import { ContactCard } from '../components/ContactCard';
import { MediaViewer } from '../components/MediaViewer';
import type { ViewedMedia } from '../components/MediaViewer';
import { ReplyBox } from '../components/ReplyBox';
import { TimelineItem } from '../components/TimelineItem';
import { groupByDay } from '../domain/days';
import { displayName } from '../domain/format';
import { useLiveTopics, useResync } from '../hooks/live';
import { useRefState } from '../hooks/ref-state';
import { useSentinel } from '../hooks/sentinel';
import { mergeActivities, removeActivity } from '../store/activities';
import * as pager from '../store/pagination';

export function Contact({ id }: { id: number }) {
  const [contact, setContact] = useState<ContactDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [activities, setActivities] = useRefState<Activity[]>([]);
  const [page, setPage, pageRef] = useRefState<pager.Pager>(pager.initialPager);
  const [viewing, setViewing] = useState<ViewedMedia | null>(null);

  const merge = (incoming: Activity[]) => setActivities((prev) => mergeActivities(prev, incoming));

  const loadContact = () => {
    api
      .contact(id)
      .then((c) => {
        setContact(c);
        document.title = `${displayName(c)} — crmd`;
      })
      .catch((e: unknown) =>
        setLoadError(e instanceof ApiError && e.status === 404 ? 'This contact does not exist.' : describeError(e)),
      );
  };

  const loadOlder = () => {
    const started = pager.begin(pageRef.current);
    if (!started) return;
    setPage(() => started.pager);
    api
      .timeline(id, started.ticket.cursor)
      .then((res) => {
        if (!pager.isCurrent(pageRef.current, started.ticket)) return;
        merge(res.data);
        setPage((p) => pager.received(p, started.ticket, res.next_cursor));
      })
      .catch((e: unknown) => setPage((p) => pager.failed(p, started.ticket, describeError(e))));
  };

  useEffect(() => {
    loadContact();
    loadOlder();
  }, []);

  useResync(() => {
    loadContact();
    const ticket = pager.refreshTicket(pageRef.current);
    if (!ticket) return;
    api
      .timeline(id, null)
      .then((res) => {
        if (pager.isCurrent(pageRef.current, ticket)) merge(res.data);
      })
      .catch(() => {
        // Kept as is; the next resync or reload tries again.
      });
  });

  const conversationIds = (contact?.conversations ?? []).map((c) => c.id);
  useLiveTopics(
    conversationIds.map((c) => `conversation:${c}`),
    (e) => {
      if (e.event === 'activity.deleted') {
        const { id: removed } = e.data as { id: number };
        setActivities((list) => removeActivity(list, removed));
        return;
      }
      if (e.event !== 'activity.created' && e.event !== 'activity.updated') return;
      const activity = e.data as Activity;
      if (activity.contact_id === id || conversationIds.includes(activity.conversation_id ?? -1)) merge([activity]);
    },
  );

  if (loadError) {
    return (
      <main id="main" class="page" tabIndex={-1}>
        <p role="alert">{loadError}</p>
      </main>
    );
  }

  // The contract lists conversations newest first: replies go to the one last used.
  const replyTo = contact?.conversations[0]?.id ?? null;

  return (
    <main id="main" class="contact-page" tabIndex={-1}>
      {contact ? <ContactCard contact={contact} /> : <section class="contact-card muted">Loading contact…</section>}
      <section class="timeline-col" aria-label="Timeline">
        <Timeline
          activities={activities}
          page={page}
          onLoadOlder={loadOlder}
          onOpenImage={(src, alt, opener) => setViewing({ src, alt, opener })}
          onActivityLoaded={(a) => merge([a])}
        />
        <ReplyBox conversationId={replyTo} onSent={(a) => merge([a])} />
      </section>
      {viewing && <MediaViewer media={viewing} onClose={() => setViewing(null)} />}
    </main>
  );
}

interface TimelineProps {
  activities: Activity[];
  page: pager.Pager;
  onLoadOlder: () => void;
  onOpenImage: (src: string, alt: string, opener: HTMLElement) => void;
  onActivityLoaded: (a: Activity) => void;
}

/** Pixels from the bottom within which the view follows new activities. */
const STICK_PX = 80;

function Timeline({ activities, page, onLoadOlder, onOpenImage, onActivityLoaded }: TimelineProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  // Scroll geometry as of the last render or scroll, to tell a prepend (older page: keep what the
  // reader sees in place) from an append (new activity: follow it if the reader was at the bottom).
  const before = useRef({ firstId: -1, scrollHeight: 0, scrollTop: 0, atBottom: true });

  const remember = () => {
    const el = scroller.current;
    if (!el) return;
    before.current = {
      firstId: activities[0]?.id ?? -1,
      scrollHeight: el.scrollHeight,
      scrollTop: el.scrollTop,
      atBottom: el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_PX,
    };
  };

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const prev = before.current;
    const firstId = activities[0]?.id ?? -1;
    if (prev.firstId !== -1 && firstId !== prev.firstId) {
      el.scrollTop = prev.scrollTop + (el.scrollHeight - prev.scrollHeight);
    } else if (prev.atBottom) {
      el.scrollTop = el.scrollHeight;
    }
    remember();
  }, [activities]);

  useSentinel(sentinel, onLoadOlder, {
    root: scroller,
    enabled: page.started && !page.loading && !page.done && !page.error,
  });

  const groups = groupByDay(activities);

  return (
    <div class="timeline-scroll" ref={scroller} onScroll={remember} tabIndex={0} aria-label="Activity history">
      <div ref={sentinel} class="list-footer">
        {page.loading && <span class="muted">Loading…</span>}
        {page.error && (
          <span role="alert">
            {page.error}{' '}
            <button type="button" class="btn-quiet" onClick={onLoadOlder}>
              Retry
            </button>
          </span>
        )}
        {page.started && !page.done && !page.loading && !page.error && (
          <button type="button" class="btn-quiet" onClick={onLoadOlder}>
            Load older
          </button>
        )}
        {page.done && activities.length > 0 && <span class="muted">Beginning of history</span>}
      </div>
      {page.started && activities.length === 0 && <p class="empty">No calls or texts yet.</p>}
      <ol class="timeline" data-testid="timeline">
        {groups.map((g) => (
          <li key={g.key} class="day">
            <h2 class="day-separator">
              <span>{g.label}</span>
            </h2>
            <ol class="day-items">
              {g.items.map((a) => (
                <TimelineItem key={a.id} activity={a} onOpenImage={onOpenImage} onActivityLoaded={onActivityLoaded} />
              ))}
            </ol>
          </li>
        ))}
      </ol>
    </div>
  );
}
