-- SMS campaigns (issue 7): the API's campaign JSON (shared by the routes and the live frames),
-- the audience (filter + uploaded members, opted-out excluded, one member per number), saving
-- with the edit rules, CSV members, reply processing in one transaction per batch, analytics.

-- ---------------------------------------------------------------------------------------------
-- JSON shapes

-- One query for the progress counts: each PL/pgSQL statement is a round through SPI. The
-- buckets partition the members, so they add up to "members".
create function campaign_json(c campaigns) returns jsonb
  language plpgsql stable parallel safe as $$
declare
  progress jsonb;
begin
  select jsonb_build_object(
           'members', count(*),
           'pending', count(*) filter (where m.status = 'pending'),
           'sending', count(*) filter (where m.status = 'sending'),
           'sent', count(*) filter (where m.status = 'sent'),
           'failed', count(*) filter (where m.status = 'failed'),
           'suppressed', count(*) filter (where m.status = 'suppressed'),
           'review', count(*) filter (where m.status = 'review'),
           'replied', count(*) filter (where m.status like 'replied\_%'))
  into progress
  from campaign_memberships m where m.campaign_id = c.id;
  return jsonb_build_object(
    'id', c.id, 'name', c.name, 'status', c.status, 'template_a', c.template_a,
    'template_b', c.template_b, 'template_existing', c.template_existing,
    'ab_split_percent', c.ab_split_percent, 'opt_out_line', c.opt_out_line,
    'from_phone_number_id', c.from_phone_number_id,
    'throttle_per_minute', c.throttle_per_minute, 'daily_cap', c.daily_cap,
    'quiet_hours_start', to_char(c.quiet_hours_start, 'HH24:MI'),
    'quiet_hours_end', to_char(c.quiet_hours_end, 'HH24:MI'),
    'reply_window_hours', c.reply_window_hours, 'on_existing_contact', c.on_existing_contact,
    'audience', c.audience, 'scheduled_at', c.scheduled_at, 'started_at', c.started_at,
    'finished_at', c.finished_at, 'created_by', c.created_by, 'created_at', c.created_at,
    'updated_at', c.updated_at, 'progress', progress);
end
$$;

create function campaign_member_json(m campaign_memberships) returns jsonb
  language sql stable parallel safe
  return jsonb_build_object(
    'id', m.id, 'contact_id', m.contact_id, 'status', m.status, 'variant_sent', m.variant_sent,
    'sent_at', m.sent_at, 'replied_at', m.replied_at);

-- ---------------------------------------------------------------------------------------------
-- Audience

-- Whether the filter selects contacts at all. An empty filter selects nobody, so a campaign
-- built from a CSV upload alone never texts the whole book; "all_contacts" says everyone.
-- A boolean criterion only constrains when true (an unticked box is no criterion).
create function audience_selects_contacts(a jsonb) returns boolean
  language sql immutable parallel safe
  return coalesce((a->>'all_contacts')::boolean, false)
      or coalesce(jsonb_array_length(a->'tags'), 0) > 0
      or coalesce(jsonb_array_length(a->'sources'), 0) > 0
      or a ? 'last_contacted_before' or a ? 'last_contacted_after'
      or coalesce((a->>'never_contacted')::boolean, false)
      or coalesce((a->>'has_open_quote')::boolean, false);

-- "Has a quote" for every would-be member: V012 indexes only the open quotes.
create index quotes_contact_idx on quotes (contact_id);

-- An existing customer: someone we talked to before the campaign was created, or quoted.
create function campaign_existing_customer(contact bigint, since timestamptz) returns boolean
  language sql stable parallel safe
  return exists (select 1 from activities a
                 where a.contact_id = contact and a.occurred_at < since)
      or exists (select 1 from quotes q where q.contact_id = contact);

-- The would-be members: the filter's contacts (by their primary number) plus the members
-- already added (CSV rows), one row per contact and one per number. Opted-out contacts are
-- returned flagged, so the preview can count them; nobody inserts them.
create function campaign_audience(c campaigns)
  returns table (contact_id bigint, phone text, existing_customer boolean, opted_out boolean,
                 is_member boolean)
  language sql stable as $$
  with filtered as (
    select k.id as contact_id, k.phone, false as is_member
    from contacts k
    left join lateral (select max(v.last_activity_at) as last_at
                       from conversations v where v.contact_id = k.id) lc on true
    where k.phone is not null
      and audience_selects_contacts(c.audience)
      and (coalesce(jsonb_array_length(c.audience->'tags'), 0) = 0
           or k.tags && jsonb_text_array(c.audience->'tags'))
      and (coalesce(jsonb_array_length(c.audience->'sources'), 0) = 0
           or k.source = any (jsonb_text_array(c.audience->'sources')))
      and (not c.audience ? 'last_contacted_before'
           or lc.last_at < (c.audience->>'last_contacted_before')::timestamptz)
      and (not c.audience ? 'last_contacted_after'
           or lc.last_at >= (c.audience->>'last_contacted_after')::timestamptz)
      and (not coalesce((c.audience->>'never_contacted')::boolean, false) or lc.last_at is null)
      and (not coalesce((c.audience->>'has_open_quote')::boolean, false)
           or exists (select 1 from quotes q
                      where q.contact_id = k.id and q.status in ('draft', 'sent')))
  ),
  members as (
    select m.contact_id, coalesce(m.phone, k.phone) as phone, true as is_member
    from campaign_memberships m join contacts k on k.id = m.contact_id
    where m.campaign_id = c.id
  ),
  per_contact as (
    select distinct on (x.contact_id) x.contact_id, x.phone, x.is_member
    from (select * from filtered union all select * from members) x
    where x.phone is not null
    order by x.contact_id, x.is_member desc
  ),
  per_number as (
    select distinct on (p.phone) p.contact_id, p.phone, p.is_member
    from per_contact p
    order by p.phone, p.is_member desc, p.contact_id
  )
  select p.contact_id, p.phone, campaign_existing_customer(p.contact_id, c.created_at),
         k.opted_out_at is not null, p.is_member
  from per_number p join contacts k on k.id = p.contact_id
$$;

-- A member's starting state under the campaign's existing-contact rule.
create function campaign_member_start(c campaigns, existing boolean, opted_out boolean,
                                      out status text, out suppressed_reason text)
  language sql immutable as $$
  select case when opted_out then 'suppressed'
              when existing and c.on_existing_contact = 'ignore' then 'suppressed'
              when existing and c.on_existing_contact = 'flag_for_review' then 'review'
              else 'pending' end,
         case when opted_out then 'opted_out'
              when existing and c.on_existing_contact = 'ignore' then 'existing_customer' end
$$;

-- Called by the campaign registry at launch: inserts the filter's members (variant_sent stays
-- null: the runner assigns it at send time), and brings the uploaded members still pending to
-- the same rules. Idempotent. Returns how many members were added.
create function materialize_campaign_audience(campaign bigint) returns integer
  language plpgsql as $$
declare
  c campaigns;
  added integer;
begin
  select * into c from campaigns where id = campaign for update;
  if not found then
    return 0;
  end if;
  insert into campaign_memberships (campaign_id, contact_id, phone, existing_customer, status,
                                    suppressed_reason)
  select c.id, a.contact_id, a.phone, a.existing_customer, s.status, s.suppressed_reason
  from campaign_audience(c) a
  cross join lateral campaign_member_start(c, a.existing_customer, false) s
  where not a.is_member and not a.opted_out
  order by a.contact_id
  on conflict do nothing;
  get diagnostics added = row_count;
  update campaign_memberships m
  set existing_customer = x.existing, status = x.status, suppressed_reason = x.suppressed_reason
  from (select m2.id, e.existing, s.status, s.suppressed_reason
        from campaign_memberships m2
        join contacts k on k.id = m2.contact_id
        cross join lateral (select campaign_existing_customer(m2.contact_id, c.created_at)
                                     as existing) e
        cross join lateral campaign_member_start(c, e.existing, k.opted_out_at is not null) s
        where m2.campaign_id = c.id and m2.status = 'pending') x
  where m.id = x.id
    and (m.status, m.suppressed_reason, m.existing_customer)
        is distinct from (x.status, x.suppressed_reason, x.existing);
  return added;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Saving (fields already validated by the API; a key present sets its column)

create function campaign_fields_apply(c campaigns, f jsonb) returns campaigns
  language plpgsql immutable as $$
begin
  if f ? 'name' then c.name := f->>'name'; end if;
  if f ? 'template_a' then c.template_a := f->>'template_a'; end if;
  if f ? 'template_b' then c.template_b := f->>'template_b'; end if;
  if f ? 'template_existing' then c.template_existing := f->>'template_existing'; end if;
  if f ? 'ab_split_percent' then c.ab_split_percent := (f->>'ab_split_percent')::integer; end if;
  if f ? 'opt_out_line' then c.opt_out_line := f->>'opt_out_line'; end if;
  if f ? 'from_phone_number_id' then c.from_phone_number_id := f->>'from_phone_number_id'; end if;
  if f ? 'throttle_per_minute' then
    c.throttle_per_minute := (f->>'throttle_per_minute')::integer;
  end if;
  if f ? 'daily_cap' then c.daily_cap := (f->>'daily_cap')::integer; end if;
  if f ? 'quiet_hours_start' then c.quiet_hours_start := (f->>'quiet_hours_start')::time; end if;
  if f ? 'quiet_hours_end' then c.quiet_hours_end := (f->>'quiet_hours_end')::time; end if;
  if f ? 'reply_window_hours' then
    c.reply_window_hours := (f->>'reply_window_hours')::integer;
  end if;
  if f ? 'on_existing_contact' then c.on_existing_contact := f->>'on_existing_contact'; end if;
  if f ? 'audience' then c.audience := f->'audience'; end if;
  if f ? 'scheduled_at' then c.scheduled_at := (f->>'scheduled_at')::timestamptz; end if;
  return c;
end
$$;

-- outcome: 'ok' (campaign set), 'not_found', 'not_editable', 'unknown_phone_number'. Creates
-- when id is null. Only drafts and scheduled campaigns are edited; a scheduled one goes back to
-- draft (its launch is taken back until launched again).
create function save_campaign(id bigint, fields jsonb, author bigint,
                              out outcome text, out campaign jsonb)
  language plpgsql as $$
declare
  c campaigns;
begin
  if fields ? 'from_phone_number_id' and fields->>'from_phone_number_id' is not null
     and not exists (select 1 from phone_numbers p
                     where p.openphone_id = fields->>'from_phone_number_id') then
    outcome := 'unknown_phone_number';
    return;
  end if;
  if save_campaign.id is null then
    c := campaign_fields_apply(null::campaigns, fields);
    insert into campaigns as k (name, template_a, template_b, template_existing, ab_split_percent,
                                opt_out_line, from_phone_number_id, throttle_per_minute,
                                daily_cap, quiet_hours_start, quiet_hours_end,
                                reply_window_hours, on_existing_contact, audience, scheduled_at,
                                created_by)
    values (c.name, c.template_a, c.template_b, c.template_existing,
            coalesce(c.ab_split_percent, 50), c.opt_out_line, c.from_phone_number_id,
            coalesce(c.throttle_per_minute, 30), coalesce(c.daily_cap, 1000),
            coalesce(c.quiet_hours_start, '20:00'), coalesce(c.quiet_hours_end, '09:00'),
            coalesce(c.reply_window_hours, 72), coalesce(c.on_existing_contact, 'ignore'),
            coalesce(c.audience, '{}'), c.scheduled_at, author)
    returning k.* into c;
  else
    select * into c from campaigns k where k.id = save_campaign.id for update;
    if not found then
      outcome := 'not_found';
      return;
    end if;
    if c.status not in ('draft', 'scheduled') then
      outcome := 'not_editable';
      return;
    end if;
    c := campaign_fields_apply(c, fields);
    update campaigns k
    set name = c.name, template_a = c.template_a, template_b = c.template_b,
        template_existing = c.template_existing, ab_split_percent = c.ab_split_percent,
        opt_out_line = c.opt_out_line, from_phone_number_id = c.from_phone_number_id,
        throttle_per_minute = c.throttle_per_minute, daily_cap = c.daily_cap,
        quiet_hours_start = c.quiet_hours_start, quiet_hours_end = c.quiet_hours_end,
        reply_window_hours = c.reply_window_hours, on_existing_contact = c.on_existing_contact,
        audience = c.audience, scheduled_at = c.scheduled_at, status = 'draft'
    where k.id = c.id
    returning k.* into c;
  end if;
  outcome := 'ok';
  campaign := campaign_json(c);
end
$$;

-- outcome: 'ok', 'not_found', 'not_editable' (only drafts are deleted).
create function delete_campaign(id bigint) returns text
  language plpgsql as $$
declare
  current_status text;
begin
  select k.status into current_status from campaigns k where k.id = delete_campaign.id
  for update;
  if not found then
    return 'not_found';
  end if;
  if current_status <> 'draft' then
    return 'not_editable';
  end if;
  delete from campaigns k where k.id = delete_campaign.id;
  return 'ok';
end
$$;

-- Members from an uploaded CSV: rows [{phone (E.164), first_name, last_name, company, email,
-- street, city, state, postal_code, tags[]}], already validated. A number we know (any of a
-- contact's numbers, the primary first) is that contact; an unknown one becomes a contact from
-- 'import_csv'. Opted-out contacts are not added. One statement over the whole file (a row at a
-- time took 1 ms each: 20,000 rows would outlast the HTTP handler's timeout). outcome as
-- save_campaign's; duplicates are rows whose number or contact is already a member.
create function add_campaign_csv_members(campaign bigint, csv_rows jsonb,
                                         out outcome text, out added integer,
                                         out opted_out integer, out duplicates integer)
  language plpgsql as $$
declare
  c campaigns;
  total integer;
begin
  select * into c from campaigns k where k.id = campaign for update;
  if not found then
    outcome := 'not_found';
    return;
  end if;
  if c.status not in ('draft', 'scheduled') then
    outcome := 'not_editable';
    return;
  end if;
  with csv as (
    select r.value as fields, r.ord, r.value->>'phone' as phone
    from jsonb_array_elements(csv_rows) with ordinality as r(value, ord)
  ),
  firsts as (
    select distinct on (x.phone) x.* from csv x order by x.phone, x.ord
  ),
  -- Primary numbers through their unique index; the rest in one GIN scan (&&) over every
  -- contact's numbers (a GIN scan per number cost a millisecond each).
  primaries as (
    select f.phone, k.id, k.opted_out_at
    from firsts f join contacts k on k.phone = f.phone
  ),
  others as (
    select distinct on (p.number) p.number as phone, k.id, k.opted_out_at
    from contacts k
    cross join lateral unnest(k.phone_numbers) as p(number)
    where k.phone_numbers && (select array_agg(f.phone) from firsts f
                              where f.phone not in (select m.phone from primaries m))
      and p.number in (select f.phone from firsts f)
      and p.number not in (select m.phone from primaries m)
    order by p.number, k.id
  ),
  known as (
    select * from primaries union all select * from others
  ),
  created as (
    insert into contacts as k (first_name, last_name, company, email, street, city, state,
                               postal_code, tags, phone, phone_numbers, source)
    select f.fields->>'first_name', f.fields->>'last_name', f.fields->>'company',
           f.fields->>'email', f.fields->>'street', f.fields->>'city', f.fields->>'state',
           f.fields->>'postal_code', coalesce(jsonb_text_array(f.fields->'tags'), '{}'),
           f.phone, array[f.phone], 'import_csv'
    from firsts f
    where not exists (select 1 from known n where n.phone = f.phone)
    order by f.ord
    on conflict (phone) do nothing
    returning k.phone, k.id, k.opted_out_at
  ),
  who as (
    select n.phone, n.id, n.opted_out_at from known n
    union all
    select w.phone, w.id, w.opted_out_at from created w
  ),
  inserted as (
    insert into campaign_memberships (campaign_id, contact_id, phone, existing_customer, status,
                                      suppressed_reason)
    select c.id, w.id, f.phone, e.existing, s.status, s.suppressed_reason
    from firsts f
    join who w on w.phone = f.phone
    cross join lateral (select campaign_existing_customer(w.id, c.created_at) as existing) e
    cross join lateral campaign_member_start(c, e.existing, false) s
    where w.opted_out_at is null
    order by f.ord
    on conflict do nothing
    returning 1
  )
  select (select count(*) from inserted),
         (select count(*) from who w where w.opted_out_at is not null),
         (select count(*) from csv)
  into added, opted_out, total;
  duplicates := total - added - opted_out;
  update campaigns k set status = 'draft' where k.id = c.id and k.status = 'scheduled';
  outcome := 'ok';
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Replies (the reply processor): one call per batch, one transaction

-- decisions: [{activity_id, contact_id, keyword_kind ('opt_out'|'opt_in'|'help'|null), keyword,
-- membership_id, verdict ('positive'|'negative'|'neutral'), reason, help_text}], in activity
-- order. Rows: what to publish or send after the commit — kind 'campaign' (a campaign.updated
-- frame), 'member' (a campaign.member frame), 'help' (the queued HELP reply to hand to the
-- sender: queue_outgoing_message's columns as JSON).
create function apply_reply_decisions(decisions jsonb)
  returns table (kind text, campaign_id bigint, frame jsonb)
  language plpgsql as $$
declare
  d jsonb;
  who bigint;
  reply_id bigint;
  touched bigint[] := '{}';
  m campaign_memberships;
  q record;
  cr campaigns;
begin
  for d in select value from jsonb_array_elements(decisions) loop
    reply_id := (d->>'activity_id')::bigint;
    who := (d->>'contact_id')::bigint;
    if who is not null and d->>'keyword_kind' = 'opt_out' then
      update contacts k set opted_out_at = now()
      where k.id = who and k.opted_out_at is null;
      if found then
        insert into opt_out_events (contact_id, action, keyword, activity_id)
        values (who, 'opt_out', d->>'keyword', reply_id);
      end if;
      for m in update campaign_memberships x
               set status = 'suppressed', suppressed_reason = 'opted_out'
               where x.contact_id = who and x.status = 'pending'
               returning x.* loop
        touched := touched || m.campaign_id;
        kind := 'member';
        campaign_id := m.campaign_id;
        frame := jsonb_build_object('event', 'campaign.member', 'data', campaign_member_json(m));
        return next;
      end loop;
    elsif who is not null and d->>'keyword_kind' = 'opt_in' then
      update contacts k set opted_out_at = null
      where k.id = who and k.opted_out_at is not null;
      if found then
        insert into opt_out_events (contact_id, action, keyword, activity_id)
        values (who, 'opt_in', d->>'keyword', reply_id);
      end if;
    elsif d->>'keyword_kind' = 'help' and d->>'help_text' is not null then
      select o.*, a.conversation_id into q
      from activities a
      cross join lateral queue_outgoing_message(a.conversation_id, null, d->>'help_text',
                                                'help:' || reply_id) o
      where a.id = reply_id and a.conversation_id is not null;
      if found and q.created then
        kind := 'help';
        campaign_id := null;
        frame := jsonb_build_object('activity_id', q.activity_id, 'activity', q.activity,
                                    'from_number_id', q.from_number_id,
                                    'recipients', to_jsonb(q.recipients),
                                    'sender_provider_id', q.sender_provider_id,
                                    'conversation_id', q.conversation_id,
                                    'conversation_frame', q.conversation_frame);
        return next;
      end if;
    end if;
    if d->>'membership_id' is not null then
      update campaign_memberships x
      set status = 'replied_' || (d->>'verdict'), reply_activity_id = reply_id,
          replied_at = (select a.occurred_at from activities a where a.id = reply_id),
          reply_reason = left(d->>'reason', 200)
      where x.id = (d->>'membership_id')::bigint and x.status = 'sent'
      returning x.* into m;
      if found then
        touched := touched || m.campaign_id;
        kind := 'member';
        campaign_id := m.campaign_id;
        frame := jsonb_build_object('event', 'campaign.member', 'data', campaign_member_json(m));
        return next;
      end if;
    end if;
    update activities a set reply_processed_at = now() where a.id = reply_id;
  end loop;
  for cr in select * from campaigns k where k.id = any (touched) order by k.id loop
    kind := 'campaign';
    campaign_id := cr.id;
    frame := jsonb_build_object('event', 'campaign.updated', 'data', campaign_json(cr));
    return next;
  end loop;
end
$$;

-- ---------------------------------------------------------------------------------------------
-- Analytics

-- Per variant (A, B, E) and in total. "sent" counts members whose text went out; delivered is
-- the sent activity's status; an opt-out is a member who opted out within the reply window of
-- their text (by keyword or in the app), or was suppressed for opting out after it was sent.
create function campaign_analytics(campaign bigint) returns jsonb
  language sql stable as $$
  with c as (select * from campaigns where id = campaign),
  per_member as (
    select m.variant_sent as variant,
           m.sent_at is not null as sent,
           a.status = 'delivered' as delivered,
           m.status = 'failed' as failed,
           m.status like 'replied\_%' as replied,
           m.status = 'replied_positive' as positive,
           m.status = 'replied_negative' as negative,
           m.status = 'replied_neutral' as neutral,
           (m.sent_at is not null and m.status = 'suppressed'
            and m.suppressed_reason = 'opted_out')
           or (m.sent_at is not null and exists (
                 select 1 from opt_out_events e
                 left join activities r on r.id = e.activity_id
                 where e.contact_id = m.contact_id and e.action = 'opt_out'
                   and coalesce(r.occurred_at, e.occurred_at) >= m.sent_at
                   and coalesce(r.occurred_at, e.occurred_at)
                       <= m.sent_at + (select reply_window_hours from c) * interval '1 hour'))
             as opted_out
    from campaign_memberships m
    left join activities a on a.id = m.activity_id
    where m.campaign_id = campaign
  ),
  counts as (
    select grouping(variant) = 1 as is_total, variant,
           jsonb_build_object(
             'members', count(*), 'sent', count(*) filter (where sent),
             'delivered', count(*) filter (where delivered),
             'failed', count(*) filter (where failed),
             'replies', count(*) filter (where replied),
             'positive', count(*) filter (where positive),
             'negative', count(*) filter (where negative),
             'neutral', count(*) filter (where neutral),
             'opt_outs', count(*) filter (where opted_out)) as numbers
    from per_member
    group by grouping sets ((variant), ())
  )
  select jsonb_build_object(
           'campaign_id', campaign,
           'variants', coalesce((select jsonb_object_agg(variant, numbers order by variant)
                                 from counts where not is_total and variant is not null),
                                '{}'::jsonb),
           'total', coalesce((select numbers from counts where is_total),
                             jsonb_build_object('members', 0, 'sent', 0, 'delivered', 0,
                                                'failed', 0, 'replies', 0, 'positive', 0,
                                                'negative', 0, 'neutral', 0, 'opt_outs', 0)))
  where exists (select 1 from c)
$$;

-- ---------------------------------------------------------------------------------------------
-- Opting a contact out or in from the app (PATCH /api/v1/contacts/{id} {"opted_out": bool}),
-- audited with the user. Opting out also suppresses the contact's pending memberships. Returns
-- the contact JSON, null when there is no such contact.
create function set_contact_opted_out(contact bigint, opted_out boolean, author bigint)
  returns jsonb
  language plpgsql as $$
declare
  k contacts;
begin
  select * into k from contacts c where c.id = contact for update;
  if not found then
    return null;
  end if;
  if opted_out and k.opted_out_at is null then
    update contacts c set opted_out_at = now() where c.id = contact returning c.* into k;
    insert into opt_out_events (contact_id, action, user_id) values (contact, 'opt_out', author);
    update campaign_memberships m set status = 'suppressed', suppressed_reason = 'opted_out'
    where m.contact_id = contact and m.status = 'pending';
  elsif not opted_out and k.opted_out_at is not null then
    update contacts c set opted_out_at = null where c.id = contact returning c.* into k;
    insert into opt_out_events (contact_id, action, user_id) values (contact, 'opt_in', author);
  end if;
  return contact_json(k);
end
$$;
