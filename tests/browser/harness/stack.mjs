// The system under test, started fresh for one test file or benchmark: its own database, the
// OpenPhone emulator as the REST API (it answers crmd's sends and then delivers the signed
// `message.delivered` webhook back to crmd), a file host for MMS pictures, crmd serving the
// built web app, and an owner account. `stop()` undoes all of it, whatever part got started.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { config } from './config.mjs';
import { createDatabase, query } from './database.mjs';
import { startMediaServer } from './media.mjs';
import { freePort, run, start } from './processes.mjs';

function jsonLine(line) {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

// `crmdEnv`: settings for this suite's crmd on top of the harness's (a shorter health interval, say).
export async function startStack(suite, { crmdEnv = {} } = {}) {
  const cleanups = []; // run in reverse order by stop()
  const stop = async () => {
    while (cleanups.length > 0) {
      try {
        await cleanups.pop()();
      } catch (error) {
        console.error(`cleanup failed: ${error.message}`);
      }
    }
  };
  try {
    // The logs stay in the build tree after the run, for a failure's post-mortem.
    const logDir = path.join(config.artifacts, `${suite}-logs`);
    mkdirSync(logDir, { recursive: true });
    const webhookSecret = randomBytes(32).toString('base64');
    const apiKey = `browser-test-${randomBytes(8).toString('hex')}`;

    const database = await createDatabase(suite);
    cleanups.push(database.drop);

    const media = await startMediaServer();
    cleanups.push(media.close);

    const mediaDir = mkdtempSync(path.join(tmpdir(), 'crmd-browser-media-'));
    cleanups.push(() => rmSync(mediaDir, { recursive: true, force: true }));

    // crmd and the emulator name each other, so crmd's port is chosen first; the emulator's is
    // its own (it prints it once bound).
    const crmdPort = await freePort();
    const base = `http://127.0.0.1:${crmdPort}`;
    const webhookUrl = `${base}/webhooks/openphone`;

    const emulator = start(
      'openphone-emulator',
      config.emulator,
      // A small dataset (crmd never imports it here): its numbers and users are the ones the
      // seeded webhooks use, so the sends crmd makes resolve to the same number of ours.
      ['--serve', '--api-key', apiKey, '--listen', '127.0.0.1:0', '--seed', '1', '--rate-limit', '0',
       '--numbers', '2', '--users', '2', '--contacts', '5', '--conversations', '5', '--messages', '10', '--calls', '5',
       '--webhooks-to', webhookUrl, '--key', webhookSecret],
      { logPath: path.join(logDir, 'emulator.log') },
    );
    cleanups.push(() => emulator.stop());
    const emulatorPort = await emulator.waitForLine((line) => {
      const event = jsonLine(line);
      return event?.event === 'listening' ? event.port : undefined;
    });
    const emulatorBase = `http://127.0.0.1:${emulatorPort}`;

    const crmd = start('crmd', config.crmd, [], {
      env: {
        CRM_DATABASE_URL: database.url,
        CRM_HTTP_LISTEN: `127.0.0.1:${crmdPort}`,
        CRM_WEB_DIR: config.webDir,
        CRM_MEDIA_DIR: mediaDir,
        CRM_OPENPHONE_API_URL: emulatorBase,
        CRM_OPENPHONE_API_KEY: apiKey,
        CRM_OPENPHONE_WEBHOOK_KEYS: webhookSecret,
        CRM_LOG_LEVEL: 'info', // the "listening" line is at info
        ...crmdEnv,
      },
      logPath: path.join(logDir, 'crmd.log'),
    });
    cleanups.push(() => crmd.stop());
    await crmd.waitForLine((line) => (jsonLine(line)?.message === 'listening' ? true : undefined));

    const owner = { email: 'owner@crmd.test', password: `pw-${randomBytes(12).toString('hex')}` };
    const added = await run(
      config.crmd,
      ['user', 'add', '--email', owner.email, '--role', 'owner', '--first-name', 'Olive', '--last-name', 'Owner'],
      { env: { CRM_DATABASE_URL: database.url, CRM_LOG_LEVEL: 'warn' }, input: `${owner.password}\n` },
    );
    if (added.code !== 0) throw new Error(`crmd user add exited with ${added.code}:\n${added.output}`);

    const emulatorApi = async (route) => {
      const response = await fetch(`${emulatorBase}${route}`, { headers: { authorization: apiKey } });
      if (response.status !== 200) throw new Error(`emulator ${route} answered ${response.status}`);
      return response.json();
    };

    return {
      base,
      webhookUrl,
      webhookSecret,
      emulatorBase,
      emulatorApi,
      mediaBase: media.base,
      owner,
      sql: (text) => query(database.url, text),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
