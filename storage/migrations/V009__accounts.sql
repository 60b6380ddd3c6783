-- Accounts (issue 6): people log in to the web app as users. A user is the roadmap's User row,
-- whether it came from OpenPhone or from `crmd user add`; only a user with a password hash can
-- log in. Sessions and login attempts live here rather than in process memory, so a restart or a
-- second crmd keeps every session and every throttle count.

alter table users
  add column password_hash text,
  add column role text not null default 'staff' check (role in ('owner', 'staff')),
  add column disabled_at timestamptz;

-- Logins look users up by their lowered email; one account per address.
create unique index users_email_lower_key on users (lower(email));

-- The cookie holds a random token; only its SHA-256 is stored, so this table's contents cannot be
-- replayed as cookies. expires_at slides with use (CRM_SESSION_TTL_HOURS) but never past
-- created_at + CRM_SESSION_MAX_DAYS.
create table user_sessions (
  id bigint generated always as identity primary key,
  token_hash bytea not null unique check (octet_length(token_hash) = 32),
  user_id bigint not null references users (id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  remote_address text,
  user_agent text
);
create index user_sessions_user_id_idx on user_sessions (user_id);

-- Every login attempt. The throttle counts the failures of the last 15 minutes per account and
-- per address (one index each); refused (throttled) attempts are recorded but not counted, so
-- the Retry-After a client is given holds.
create table login_attempts (
  id bigint generated always as identity primary key,
  email text not null check (email = lower(email)),
  remote_address text not null,
  succeeded boolean not null,
  throttled boolean not null default false,
  attempted_at timestamptz not null default now()
);
create index login_attempts_email_idx on login_attempts (email, attempted_at);
create index login_attempts_address_idx on login_attempts (remote_address, attempted_at);

-- V004's import_users, now that emails are unique: an OpenPhone user whose email belongs to an
-- account created by `crmd user add` becomes that account instead of a second row, and an email
-- another row already holds is not copied onto this one.
create or replace function import_users(items jsonb) returns integer
  language sql as $$
  with linked as (
    update users u set openphone_user_id = i.openphone_id,
                       first_name = coalesce(u.first_name, i.first_name),
                       last_name = coalesce(u.last_name, i.last_name)
    from jsonb_to_recordset(items) as i(openphone_id text, email text, first_name text,
                                        last_name text)
    where u.openphone_user_id is null and i.email is not null
      and lower(u.email) = lower(i.email)
      and not exists (select 1 from users o where o.openphone_user_id = i.openphone_id)
    returning 1),
  written as (
    insert into users as u (openphone_user_id, email, first_name, last_name)
    select i.openphone_id, i.email, i.first_name, i.last_name
    from jsonb_to_recordset(items) as i(openphone_id text, email text, first_name text,
                                        last_name text)
    where not exists (select 1 from users o
                      where o.openphone_user_id is null and i.email is not null
                        and lower(o.email) = lower(i.email))
    on conflict (openphone_user_id) do update set
      email = case when exists (select 1 from users o
                                where lower(o.email) = lower(excluded.email) and o.id <> u.id)
                   then u.email else coalesce(excluded.email, u.email) end,
      first_name = coalesce(excluded.first_name, u.first_name),
      last_name = coalesce(excluded.last_name, u.last_name)
    returning 1)
  select ((select count(*) from linked) + (select count(*) from written))::integer
$$;
