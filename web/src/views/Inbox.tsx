// `/`: conversations by last activity, live on topic `inbox`, older ones loaded on scroll.
import { useEffect, useRef } from 'preact/hooks';
import { describeError } from '../api/client';
import { api } from '../api/endpoints';
import type { Activity, ConversationUpdate, InboxItem } from '../api/types';
import { Icon } from '../components/icons';
import { classify } from '../domain/classify';
import { displayName, formatRelative } from '../domain/format';
import { useLiveTopics, useResync } from '../hooks/live';
import { useRefState } from '../hooks/ref-state';
import { useSentinel } from '../hooks/sentinel';
import { onLinkClick } from '../router';
import { applyActivity, applyConversationUpdate, markRead, mergeInboxPage, unreadConversations } from '../store/inbox';
import * as pager from '../store/pagination';

export function Inbox() {
  const [items, setItems, itemsRef] = useRefState<InboxItem[]>([]);
  const [page, setPage, pageRef] = useRefState<pager.Pager>(pager.initialPager);

  const loadMore = () => {
    const started = pager.begin(pageRef.current);
    if (!started) return;
    setPage(() => started.pager);
    api
      .inbox(started.ticket.cursor)
      .then((res) => {
        if (!pager.isCurrent(pageRef.current, started.ticket)) return;
        setItems((prev) => mergeInboxPage(prev, res.data));
        setPage((p) => pager.received(p, started.ticket, res.next_cursor));
      })
      .catch((error: unknown) => setPage((p) => pager.failed(p, started.ticket, describeError(error))));
  };

  const refreshFirstPage = () => {
    const ticket = pager.refreshTicket(pageRef.current);
    if (!ticket) return;
    api
      .inbox(null)
      .then((res) => {
        if (pager.isCurrent(pageRef.current, ticket)) setItems((prev) => mergeInboxPage(prev, res.data));
      })
      .catch(() => {
        // The next live event or resync tries again; the list on screen stays usable.
      });
  };

  useEffect(loadMore, []);
  useResync(refreshFirstPage);

  useLiveTopics(['inbox'], (e) => {
    if (e.event === 'conversation.updated') {
      setItems((prev) => applyConversationUpdate(prev, e.data as ConversationUpdate));
    } else if (e.event === 'activity.created' || e.event === 'activity.updated') {
      const result = applyActivity(itemsRef.current, e.data as Activity, e.event === 'activity.created');
      setItems(() => result.items);
      // A conversation we do not list yet (a brand-new caller): the first page has it.
      if (!result.known) refreshFirstPage();
    }
  });

  const unread = unreadConversations(items);
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Inbox — crmd` : 'Inbox — crmd';
  }, [unread]);

  const sentinel = useRef<HTMLDivElement>(null);
  useSentinel(sentinel, loadMore, { enabled: page.started && !page.loading && !page.done && !page.error });

  const open = (e: MouseEvent, item: InboxItem) => {
    if (item.unread) {
      setItems((prev) => markRead(prev, item.conversation_id));
      api.markRead(item.conversation_id).catch(() => {
        // Read state is a convenience: on failure the next inbox load shows it unread again.
      });
    }
    onLinkClick(e, `/contacts/${item.contact.id}`);
  };

  return (
    <main id="main" class="page inbox-page" tabIndex={-1}>
      <h1 class="page-title">
        Inbox {unread > 0 && <span class="count-badge">{unread} unread</span>}
      </h1>
      <ul class="inbox" data-testid="inbox" aria-label="Conversations">
        {items.map((item) => (
          <InboxRow key={item.conversation_id} item={item} onOpen={open} />
        ))}
      </ul>
      {page.started && items.length === 0 && <p class="empty">No conversations yet.</p>}
      <div ref={sentinel} class="list-footer">
        {page.loading && <span class="muted">Loading…</span>}
        {page.error && (
          <span role="alert">
            {page.error}{' '}
            <button type="button" class="btn-quiet" onClick={loadMore}>
              Retry
            </button>
          </span>
        )}
        {page.started && !page.done && !page.loading && !page.error && (
          <button type="button" class="btn-quiet" onClick={loadMore}>
            Load more
          </button>
        )}
      </div>
    </main>
  );
}

function previewText(item: InboxItem): string {
  const p = item.preview;
  if (!p || !p.activity_type || !p.direction) return '';
  if (p.activity_type === 'message' && p.body) return (p.direction === 'outgoing' ? 'You: ' : '') + p.body;
  const c = classify({ activity_type: p.activity_type, direction: p.direction, status: p.status, pending: false });
  return c.statusLabel ? `${c.label} · ${c.statusLabel}` : c.label;
}

function InboxRow({ item, onOpen }: { item: InboxItem; onOpen: (e: MouseEvent, item: InboxItem) => void }) {
  const name = displayName(item.contact);
  const p = item.preview;
  const kind = p?.activity_type && p.direction ? classify({ activity_type: p.activity_type, direction: p.direction, status: p.status, pending: false }) : null;
  return (
    <li
      class={`inbox-item${item.unread ? ' unread' : ''}`}
      data-testid="inbox-item"
      data-conversation-id={item.conversation_id}
      data-contact-id={item.contact.id}
      data-unread={item.unread ? 'true' : 'false'}
    >
      <a href={`/contacts/${item.contact.id}`} onClick={(e) => onOpen(e, item)}>
        <span class={`inbox-icon tone-${kind?.tone ?? 'text-in'}`}>{kind && <Icon name={kind.icon} size={18} />}</span>
        <span class="inbox-main">
          <span class="inbox-name">{name}</span>
          <span class="inbox-preview">{previewText(item)}</span>
        </span>
        <span class="inbox-side">
          <time dateTime={item.last_activity_at ?? undefined}>{formatRelative(item.last_activity_at)}</time>
          {item.unread && (
            <span class="unread-count" aria-label={`${item.unread_count} unread`}>
              {item.unread_count}
            </span>
          )}
        </span>
      </a>
    </li>
  );
}
