// Typed wrappers, one per contract route the app uses.
import { request } from './client';
import type {
  Activity,
  Contact,
  ContactDetail,
  InboxItem,
  Page,
  Reconciliation,
  ReconciliationStarted,
  SessionInfo,
  SyncHealth,
  WebhookEvent,
} from './types';

const V1 = '/api/v1';

export const api = {
  login: (email: string, password: string) =>
    request<SessionInfo>('POST', `${V1}/auth/login`, { body: { email, password }, expectUnauthorized: true }),
  logout: () => request<void>('POST', `${V1}/auth/logout`),
  session: () => request<SessionInfo>('GET', `${V1}/auth/session`, { expectUnauthorized: true }),

  searchContacts: (q: string, signal?: AbortSignal) =>
    request<Page<Contact>>('GET', `${V1}/contacts`, { query: { q, limit: 10 }, signal }),
  contact: (id: number, signal?: AbortSignal) => request<ContactDetail>('GET', `${V1}/contacts/${id}`, { signal }),
  timeline: (contactId: number, cursor: string | null, signal?: AbortSignal) =>
    request<Page<Activity>>('GET', `${V1}/contacts/${contactId}/timeline`, { query: { limit: 50, cursor }, signal }),
  activity: (id: number) => request<Activity>('GET', `${V1}/activities/${id}`),

  inbox: (cursor: string | null, signal?: AbortSignal) =>
    request<Page<InboxItem>>('GET', `${V1}/inbox`, { query: { limit: 50, cursor }, signal }),
  markRead: (conversationId: number) => request<void>('POST', `${V1}/conversations/${conversationId}/read`),
  sendMessage: (conversationId: number, body: string, idempotencyKey: string) =>
    request<Activity>('POST', `${V1}/conversations/${conversationId}/messages`, {
      body: { body },
      headers: { 'Idempotency-Key': idempotencyKey },
    }),

  syncHealth: () => request<SyncHealth>('GET', `${V1}/sync/health`),
  webhookEvents: (status: 'failed' | 'dead') =>
    request<{ data: WebhookEvent[] }>('GET', `${V1}/webhook-events`, { query: { status, limit: 100 } }),
  replayWebhookEvent: (id: number) => request<{ id: number }>('POST', `${V1}/webhook-events/${id}/replay`),
  reconciliations: (limit: number) =>
    request<{ reconciliations: Reconciliation[] }>('GET', `${V1}/reconciliations`, { query: { limit } }),
  startReconciliation: () => request<ReconciliationStarted>('POST', `${V1}/reconciliations`),
};
