// Shared fixture of the JS end-to-end tests, mirroring tests/support/cogsync_server.py:
// spawn $COGSYNC_BIN serve on 127.0.0.1:0 with a fresh data dir, wait for the
// "listening on 127.0.0.1:<port>" line (stdout or stderr), stop with SIGTERM via the child handle.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';

// A node logs "[time] [cogsync] [info] listening on ..."; tests/support/cluster_main.py prints the
// nodes' start-up logs, then its own bare line last (HAProxy's port): anchored, it is that one.
const LISTENING = process.env.COGSYNC_E2E_CLUSTER
  ? /^listening on 127\.0\.0\.1:(\d+)\n/m
  : /listening on 127\.0\.0\.1:(\d+)/;
// A cluster starts three nodes and waits for HAProxy's health checks.
const START_TIMEOUT_MS = process.env.COGSYNC_E2E_CLUSTER ? 60000 : 15000;
const STOP_TIMEOUT_MS = process.env.COGSYNC_E2E_CLUSTER ? 60000 : 15000;

export const newPool = () => `us-east-1:${randomUUID()}`;
export const newIdentity = () => `us-east-1:${randomUUID()}`;
export const TOKEN_RE = /^[A-Za-z0-9_-]+$/;
export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

// Writes a cogsync credentials file (format: config/credentials.hpp) into a fresh temp dir.
// keys: { ACCESSKEY: { secret, kind, pools | pool + identity, session_token? } }.
// Returns { path, remove() }; the caller removes it after stopping the server.
export function writeCredentialsFile(keys) {
  const dir = mkdtempSync(join(tmpdir(), 'cogsync-e2e-js-creds-'));
  const text = Object.entries(keys).map(([key, settings]) =>
    `[${key}]\n${Object.entries(settings).map(([k, v]) => `${k} = ${v}\n`).join('')}`).join('\n');
  const path = join(dir, 'credentials.ini');
  writeFileSync(path, `# cogsync credentials written by the JS e2e tests\n${text}`);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// With COGSYNC_E2E_CLUSTER set, the "server" is three nodes on one PostgreSQL database behind
// HAProxy (tests/support/cluster_main.py, run by $COGSYNC_E2E_PYTHON), started and stopped the
// same way: the suites run unchanged against a cluster.
const CLUSTER_MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'support', 'cluster_main.py');

export async function startServer(extraArgs = []) {
  const bin = process.env.COGSYNC_BIN;
  if (!bin) throw new Error('COGSYNC_BIN is not set');
  const tmp = mkdtempSync(join(tmpdir(), 'cogsync-e2e-js-'));
  const child = process.env.COGSYNC_E2E_CLUSTER
    ? spawn(process.env.COGSYNC_E2E_PYTHON || 'python3', [CLUSTER_MAIN, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--data-dir', tmp, ...extraArgs],
      { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cogsync did not log its listening line in ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk) => {
      output += chunk.toString('utf8');
      const m = LISTENING.exec(output);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`cogsync exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    });
  }).catch((e) => { rmSync(tmp, { recursive: true, force: true }); throw e; });

  let stopped = false;
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    dataDir: tmp,
    output: () => output,
    // SIGTERM, wait, and return the exit code (the caller asserts it is 0).
    async stop() {
      if (stopped) return null;
      stopped = true;
      child.kill('SIGTERM');
      let timer;
      const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS); });
      const result = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (result === null) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(tmp, { recursive: true, force: true });
      if (result === null) throw new Error(`cogsync did not exit after SIGTERM:\n${output}`);
      return result.code;
    },
  };
}

// A server started with `text` as its config file, which its stop() removes.
export async function startServerWithConfig(text) {
  const dir = mkdtempSync(join(tmpdir(), 'cogsync-e2e-js-config-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const path = join(dir, 'cogsync.toml');
  writeFileSync(path, text);
  try {
    const server = await startServer(['--config', path]);
    return { ...server, stop: () => server.stop().finally(remove) };
  } catch (e) {
    remove();
    throw e;
  }
}

// A server in sigv4 mode with no static key and `pool` declared in the config file's [pools]
// (README "From zero to a syncing app"): only the keys GetCredentialsForIdentity mints
// authenticate.
export const startServerWithPool = (pool) =>
  startServerWithConfig(`auth = "sigv4"\n\n[pools."${pool}"]\nname = "app"\nallow_unauthenticated = true\n`);
