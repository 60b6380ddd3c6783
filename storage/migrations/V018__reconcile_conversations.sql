-- The conversations a reconciliation's listing returned. Its conversations stage asks OpenPhone
-- for those updated since the window's start; only they can hold activity the record lacks, so
-- the messages and calls stages page only them instead of every conversation in the record
-- (a nightly run then costs listings in proportion to the day's traffic, not to the history).
-- Written in the listing page's own transaction, so a resumed run sees exactly what it listed.
create table reconciliation_conversations (
  reconciliation_id bigint not null references reconciliations (id) on delete cascade,
  conversation_id bigint not null references conversations (id) on delete cascade,
  primary key (reconciliation_id, conversation_id)
);
