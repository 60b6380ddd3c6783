// Child processes of the harness (crmd, the emulator, `crmd user add`): each in a process group of
// its own, so stopping it also stops anything it started, and every one still running is stopped
// when the harness ends — normally, on an exception, or on SIGINT/SIGTERM (ctest's timeout).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import net from 'node:net';
import { constants } from 'node:os';

const running = new Set();

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

// As a shell reports it: 128 + the signal's number when killed.
function exitCode(code, signal) {
  return code ?? 128 + (constants.signals[signal] ?? 0);
}

// The last resort for an exit we did not see coming: synchronous, so SIGKILL.
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});
// On a signal the children go first, then whatever else must not outlive the run (the test
// database), each given a few seconds.
const interruptCleanups = new Set();
export function onInterrupt(cleanup) {
  interruptCleanups.add(cleanup);
  return () => interruptCleanups.delete(cleanup);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, async () => {
    for (const child of running) killGroup(child, 'SIGKILL');
    const bounded = [...interruptCleanups].map((cleanup) =>
      Promise.race([cleanup(), new Promise((resolve) => setTimeout(resolve, 5_000))]));
    await Promise.allSettled(bounded);
    process.exit(128 + constants.signals[signal]);
  });
}

// Starts `command` with only PATH and `env` in its environment; its stdout and stderr go to
// `logPath` (replacing an older file) and, line by line, to whoever waits in `waitForLine`.
export function start(name, command, args, { env = {}, logPath } = {}) {
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH, ...env },
    detached: true, // a process group of its own, see killGroup
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = logPath ? createWriteStream(logPath) : null;
  const listeners = new Set();
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(exitCode(code, signal)));
    child.once('error', (error) => {
      // Never started (a missing binary, say): there is no 'exit' to wait for.
      log?.write(`${name}: ${error.message}\n`);
      resolve(127);
    });
  }).then((code) => {
    running.delete(child);
    return code;
  });
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (text) => {
      log?.write(text);
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) for (const listener of listeners) listener(line);
    });
  }
  running.add(child);

  return {
    // Resolves with the first value `match(line)` returns other than undefined; rejects when the
    // process exits first or nothing matches within `timeoutMs`.
    waitForLine(match, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`${name}: no matching output within ${timeoutMs} ms`)), timeoutMs);
        const listener = (line) => {
          const value = match(line);
          if (value !== undefined) finish(null, value);
        };
        const finish = (error, value) => {
          clearTimeout(timer);
          listeners.delete(listener);
          if (error) reject(error);
          else resolve(value);
        };
        listeners.add(listener);
        exited.then((code) => finish(new Error(`${name} exited with ${code} before it was ready${logPath ? ` (log: ${logPath})` : ''}`)));
      });
    },
    // SIGTERM to the group, SIGKILL if it is still there after `graceMs`; resolves with the exit code.
    async stop(graceMs = 10_000) {
      if (!running.has(child)) return exited;
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      log?.end();
      return code;
    },
  };
}

// Runs `command` to completion with `input` on its standard input; resolves with
// { code, output } (stdout and stderr together).
export function run(command, args, { env = {}, input = '', timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { PATH: process.env.PATH, ...env },
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    running.add(child);
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code: exitCode(code, signal), output });
    });
    child.stdin.end(input);
  });
}

// A TCP port free right now on 127.0.0.1, for a server whose address another one must be given
// before it starts (crmd and the emulator name each other). Should something take the port in
// the few milliseconds before the server binds it, that server's start fails loudly.
export async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}
