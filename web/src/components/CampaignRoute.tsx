// Renders a campaign route once its chunk (views/campaign-pages) has loaded.
import { useEffect, useState } from 'preact/hooks';
import type { Route } from '../route';

type Pages = typeof import('../views/campaign-pages');
type CampaignRouteName = Extract<Route, { name: 'campaigns' | 'campaign-new' | 'campaign-edit' | 'campaign' }>;

let pages: Pages | null = null;

export function CampaignRoute({ route }: { route: CampaignRouteName }) {
  const [, setLoaded] = useState(pages !== null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (pages) return;
    import('../views/campaign-pages')
      .then((m) => {
        pages = m;
        setLoaded(true);
      })
      .catch(() => setFailed(true));
  }, []);

  if (!pages) {
    return (
      <main id="main" class="page" tabIndex={-1}>
        {failed ? <p role="alert">The campaign pages could not be loaded. Reload the page to try again.</p> : <p class="muted">Loading…</p>}
      </main>
    );
  }
  const { Campaigns, CampaignBuilder, CampaignDetail } = pages;
  switch (route.name) {
    case 'campaigns':
      return <Campaigns />;
    // keyed: another campaign is a fresh page (state, subscriptions)
    case 'campaign-new':
      return <CampaignBuilder key="new" id={null} />;
    case 'campaign-edit':
      return <CampaignBuilder key={`edit-${route.id}`} id={route.id} />;
    case 'campaign':
      return <CampaignDetail key={route.id} id={route.id} />;
  }
}
