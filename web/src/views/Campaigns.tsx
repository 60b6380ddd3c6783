// `/campaigns`: every campaign, newest first, live on topic `campaigns`.
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../api/client';
import { campaignApi } from '../api/campaigns';
import type { Campaign } from '../api/campaign-types';
import { StatusBadge } from '../components/campaign/StatusBadge';
import { useLiveTopics, useResync } from '../hooks/live';
import { useRefState } from '../hooks/ref-state';
import { onLinkClick } from '../router';
import { sentTotal, upsertCampaign } from '../store/campaign';

export function Campaigns() {
  const [items, setItems] = useRefState<Campaign[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = (cursor: string | null) => {
    setError(null);
    campaignApi
      .list(cursor)
      .then((page) => {
        setItems((prev) => page.items.reduce((list, c) => upsertCampaign(list, c), cursor ? (prev ?? []) : []).sort((a, b) => b.id - a.id));
        setNext(page.next_cursor);
      })
      .catch((e: unknown) => setError(describeError(e)));
  };
  useEffect(() => {
    document.title = 'Campaigns — crmd';
    load(null);
  }, []);
  useResync(() => load(null));
  useLiveTopics(['campaigns'], (e) => {
    if (e.event === 'campaign.updated') setItems((prev) => (prev ? upsertCampaign(prev, e.data as Campaign) : prev));
  });

  return (
    <main id="main" class="page campaigns-page" tabIndex={-1}>
      <div class="page-head">
        <h1 class="page-title">Campaigns</h1>
        <a class="btn-primary" href="/campaigns/new" data-testid="campaign-new" onClick={(e) => onLinkClick(e, '/campaigns/new')}>
          New campaign
        </a>
      </div>
      {error && (
        <p role="alert">
          {error}{' '}
          <button type="button" class="btn-quiet" onClick={() => load(null)}>
            Retry
          </button>
        </p>
      )}
      {items === null && !error && <p class="muted">Loading…</p>}
      {items?.length === 0 && <p class="empty">No campaigns yet.</p>}
      {items && items.length > 0 && (
        <table class="events campaigns" data-testid="campaign-list">
          <caption class="visually-hidden">Campaigns, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col">Replies</th>
              <th scope="col">Opt-outs</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <CampaignRow key={c.id} campaign={c} />
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <div class="list-footer">
          <button type="button" class="btn-quiet" onClick={() => load(next)}>
            Load more
          </button>
        </div>
      )}
    </main>
  );
}

function CampaignRow({ campaign: c }: { campaign: Campaign }) {
  const href = `/campaigns/${c.id}`;
  const sent = sentTotal(c.progress);
  return (
    <tr data-testid="campaign-row" data-campaign-id={c.id}>
      <td>
        <a href={href} onClick={(e) => onLinkClick(e, href)}>
          {c.name}
        </a>
      </td>
      <td>
        <StatusBadge status={c.status} />
      </td>
      <td>
        <progress max={Math.max(1, c.progress.members)} value={sent} aria-label={`${sent} of ${c.progress.members} sent`} />{' '}
        <span class="nowrap">
          {sent} / {c.progress.members}
        </span>
      </td>
      <td>{c.progress.replied}</td>
      <td>{c.progress.opt_outs ?? '—'}</td>
      <td>
        <time dateTime={c.created_at}>{new Date(c.created_at).toLocaleDateString()}</time>
      </td>
    </tr>
  );
}
