// Typed wrappers for the campaign routes (issue 7), one per route the app uses.
import { request } from './client';
import type { Campaign, CampaignAnalytics, CampaignInput, CampaignPage, AudiencePreview, CsvUploadResult } from './campaign-types';
import type { CampaignAction } from '../domain/campaign/status';

const BASE = '/api/v1/campaigns';

export const campaignApi = {
  list: (cursor: string | null, signal?: AbortSignal) =>
    request<CampaignPage>('GET', BASE, { query: { limit: 50, cursor }, signal }),
  get: (id: number, signal?: AbortSignal) => request<Campaign>('GET', `${BASE}/${id}`, { signal }),
  create: (input: CampaignInput) => request<Campaign>('POST', BASE, { body: input }),
  update: (id: number, input: CampaignInput) => request<Campaign>('PATCH', `${BASE}/${id}`, { body: input }),
  remove: (id: number) => request<void>('DELETE', `${BASE}/${id}`),

  audiencePreview: (id: number, signal?: AbortSignal) =>
    request<AudiencePreview>('GET', `${BASE}/${id}/audience/preview`, { signal }),
  uploadCsv: (id: number, csv: string) =>
    request<CsvUploadResult>('POST', `${BASE}/${id}/audience/csv`, { raw: { body: csv, contentType: 'text/csv' } }),

  /** launch takes an optional `scheduled_at`; the others no body. */
  command: (id: number, action: CampaignAction, scheduledAt?: string | null) =>
    request<Campaign>('POST', `${BASE}/${id}/${action}`, action === 'launch' && scheduledAt ? { body: { scheduled_at: scheduledAt } } : {}),
  analytics: (id: number) => request<CampaignAnalytics>('GET', `${BASE}/${id}/analytics`),
};

export const analyticsCsvUrl = (id: number) => `${BASE}/${id}/analytics.csv`;
export const membersCsvUrl = (id: number) => `${BASE}/${id}/members.csv`;
