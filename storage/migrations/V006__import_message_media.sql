-- The history import's optional message-media stage (issue 5): REST v1 lists messages without
-- their media, so with the import option mms_media each message is fetched once more from the
-- dated surface (GET /messages/{id}), which lists them.

alter table import_jobs drop constraint import_jobs_resource_check;
alter table import_jobs add constraint import_jobs_resource_check check (resource in (
  'phone_numbers', 'users', 'conversations', 'messages', 'calls', 'call_details',
  'message_media', 'contact_matching', 'conversation_metadata', 'verification'));

-- It applies enrichments of messages too, not only of calls.
alter function import_call_details(jsonb) rename to import_enrichments;
