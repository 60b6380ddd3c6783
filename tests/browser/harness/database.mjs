// A database of its own in the cluster named by CRM_TEST_DATABASE_URL (…/postgres, started by
// scripts/test), created empty (crmd migrates it at start) and dropped at the end. Through psql,
// which comes with the postgresql package, so the harness needs no PostgreSQL driver from npm.
import { onInterrupt, run } from './processes.mjs';

function withDatabase(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function psql(adminUrl, sql) {
  const { code, output } = await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', adminUrl, '-c', sql]);
  if (code !== 0) throw new Error(`psql failed (${code}): ${sql}\n${output}`);
}

// One statement's rows as psql prints them unaligned (`|` between columns, a line per row): for
// the few states a test must set up that no API creates (a webhook event that failed to apply).
export async function query(url, sql) {
  const { code, output } = await run('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql]);
  if (code !== 0) throw new Error(`psql failed (${code}): ${sql}\n${output}`);
  return output.trim();
}

// `suite` names the database (with the pid, so parallel runs do not meet).
export async function createDatabase(suite) {
  const admin = process.env.CRM_TEST_DATABASE_URL;
  if (!admin) throw new Error('CRM_TEST_DATABASE_URL is not set; run the tests through scripts/test');
  const adminUrl = withDatabase(admin, 'postgres');
  const name = `t_${suite.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${process.pid}`;
  await psql(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await psql(adminUrl, `CREATE DATABASE ${name}`);
  // FORCE: crmd may still hold pool connections if it could not be stopped cleanly.
  const drop = () => psql(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  const forget = onInterrupt(drop);
  return {
    name,
    url: withDatabase(admin, name),
    drop: async () => {
      forget();
      await drop();
    },
  };
}
