// `/campaigns/:id`: status and the valid actions, live progress on `campaign:<id>`, and results per
// variant (chart, table, A/B verdict, CSV exports). Live frames carry the campaign without its
// analytics, so those are refetched at most every few seconds while frames keep coming.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/client';
import { analyticsCsvUrl, campaignApi, membersCsvUrl } from '../api/campaigns';
import type { Campaign, CampaignAnalytics, MemberUpdate, Variant, VariantNumbers } from '../api/campaign-types';
import { AbTestLine } from '../components/campaign/AbTestLine';
import { AnalyticsTable } from '../components/campaign/AnalyticsTable';
import { CampaignActions } from '../components/campaign/CampaignActions';
import { StatusBadge } from '../components/campaign/StatusBadge';
import { VariantChart } from '../components/campaign/VariantChart';
import { isEditable } from '../domain/campaign/status';
import type { CampaignAction } from '../domain/campaign/status';
import { useLiveTopics, useResync } from '../hooks/live';
import { useRefState } from '../hooks/ref-state';
import { navigate, onLinkClick } from '../router';
import { applyCampaignUpdate, applyMemberUpdate, liveCampaign, sentTotal } from '../store/campaign';
import type { LiveCampaign } from '../store/campaign';
import { user } from '../state/session';

const ANALYTICS_REFRESH_MS = 5000;

export function CampaignDetail({ id }: { id: number }) {
  const [state, setState, stateRef] = useRefState<LiveCampaign | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const analyticsTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const replace = (c: Campaign) => setState((s) => (s ? applyCampaignUpdate(s, c) : liveCampaign(c)));
  const setAnalytics = (analytics: CampaignAnalytics) =>
    setState((s) => (s ? { ...s, campaign: { ...s.campaign, analytics } } : s));

  const load = () => {
    campaignApi
      .get(id)
      .then((c) => {
        replace(c);
        document.title = `${c.name} — crmd`;
      })
      .catch((e: unknown) => setLoadError(e instanceof ApiError && e.status === 404 ? 'This campaign does not exist.' : describeError(e)));
  };
  useEffect(() => {
    load();
    return () => {
      if (analyticsTimer.current) clearTimeout(analyticsTimer.current);
    };
  }, []);
  useResync(load);

  const refreshAnalyticsSoon = () => {
    if (analyticsTimer.current) return;
    analyticsTimer.current = setTimeout(() => {
      analyticsTimer.current = null;
      campaignApi.analytics(id).then(setAnalytics).catch(() => {
        // The numbers on screen stay; the next frame tries again.
      });
    }, ANALYTICS_REFRESH_MS);
  };

  useLiveTopics([`campaign:${id}`], (e) => {
    if (!stateRef.current) return;
    if (e.event === 'campaign.updated') {
      replace(e.data as Campaign);
      refreshAnalyticsSoon();
    } else if (e.event === 'campaign.member') {
      setState((s) => (s ? applyMemberUpdate(s, e.data as MemberUpdate) : s));
      refreshAnalyticsSoon();
    }
  });

  const act = async (action: CampaignAction) => {
    const c = stateRef.current?.campaign;
    if (!c || busy) return;
    setBusy(true);
    setActionError(null);
    try {
      replace(await campaignApi.command(id, action, action === 'launch' ? c.scheduled_at : null));
    } catch (e) {
      setActionError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      await campaignApi.remove(id);
      navigate('/campaigns', { replace: true });
    } catch (e) {
      setActionError(describeError(e));
      setBusy(false);
    }
  };

  if (loadError) {
    return (
      <main id="main" class="page" tabIndex={-1}>
        <p role="alert">{loadError}</p>
      </main>
    );
  }
  if (!state) {
    return (
      <main id="main" class="page" tabIndex={-1}>
        <p class="muted">Loading…</p>
      </main>
    );
  }

  const c = state.campaign;
  const p = c.progress;
  const sent = sentTotal(p);
  const editHref = `/campaigns/${c.id}/edit`;
  const variants = Object.entries(c.analytics?.variants ?? {}).sort(([a], [b]) => a.localeCompare(b)) as [Variant, VariantNumbers][];

  return (
    <main id="main" class="page campaign-page" tabIndex={-1} data-testid="campaign-detail" data-campaign-id={c.id}>
      <p>
        <a href="/campaigns" onClick={(e) => onLinkClick(e, '/campaigns')}>
          ← Campaigns
        </a>
      </p>
      <div class="page-head">
        <h1 class="page-title">{c.name}</h1>
        <StatusBadge status={c.status} />
      </div>
      <p class="muted">
        Created {new Date(c.created_at).toLocaleString()}
        {c.scheduled_at && ` · scheduled for ${new Date(c.scheduled_at).toLocaleString()}`}
        {c.started_at && ` · started ${new Date(c.started_at).toLocaleString()}`}
        {c.finished_at && ` · finished ${new Date(c.finished_at).toLocaleString()}`}
      </p>

      <CampaignActions campaign={c} role={user.value?.role} busy={busy} onAction={(a) => void act(a)} />
      {isEditable(c.status) && (
        <p class="actions">
          <a href={editHref} class="btn-quiet" onClick={(e) => onLinkClick(e, editHref)}>
            Edit
          </a>
          {c.status === 'draft' && (
            <button type="button" class="btn-quiet" disabled={busy} onClick={() => void remove()}>
              Delete draft
            </button>
          )}
        </p>
      )}
      {actionError && (
        <p class="form-error" role="alert" data-testid="action-error">
          {actionError}
        </p>
      )}

      <section class="section" aria-labelledby="progress-title">
        <h2 id="progress-title">Progress</h2>
        <progress max={Math.max(1, p.members)} value={sent} aria-label={`${sent} of ${p.members} sent`} data-testid="campaign-progress" data-sent={sent} />
        <dl class="stats" aria-live="polite">
          <Stat label="Members" value={p.members} />
          <Stat label="Sent" value={sent} />
          <Stat label="Waiting" value={p.pending + p.sending} />
          <Stat label="Failed" value={p.failed} />
          <Stat label="Replied" value={p.replied} />
          <Stat label="Skipped" value={p.suppressed} />
          <Stat label="For review" value={p.review} />
        </dl>
      </section>

      <section class="section" aria-labelledby="results-title">
        <h2 id="results-title">Results</h2>
        {variants.length === 0 ? (
          <p class="muted">No texts sent yet.</p>
        ) : (
          <>
            <VariantChart variants={variants} />
            {c.analytics && <AnalyticsTable variants={variants} total={c.analytics.total} />}
          </>
        )}
        {c.template_b && c.analytics?.ab_test && <AbTestLine test={c.analytics.ab_test} />}
        <p>
          Download: <a href={analyticsCsvUrl(c.id)} download>analytics.csv</a> · <a href={membersCsvUrl(c.id)} download>members.csv</a>
        </p>
      </section>
    </main>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
