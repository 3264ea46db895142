// The Cognito Identity credential flow of the AWS SDK for JavaScript v3 against cogsync alone,
// and the README's "From zero to a syncing app" run as written: the server is in sigv4 mode with no
// static key and its pool declared in [pools]; fromCognitoIdentityPool (@aws-sdk/credential-providers)
// gets an identity and minted keys from cogsync, a CognitoSyncClient signed with them syncs that
// identity's dataset, and is refused on another identity's, whose keys fromCognitoIdentity gets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CognitoIdentityClient, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { fromCognitoIdentity, fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { CognitoSyncClient, ListRecordsCommand, UpdateRecordsCommand } from '@aws-sdk/client-cognito-sync';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServerWithConfig, startServerWithPool, TOKEN_RE } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));  // the README's imports resolve from node_modules here

const POOL = 'us-east-1:0c0c0c0c-1111-4222-8333-444455556666';
const REGION = 'us-east-1';

let server;

before(async () => {
  server = await startServerWithPool(POOL);
  assert.match(server.output(), /auth mode sigv4: 0 access key\(s\)/);
});

after(async () => {
  if (server) assert.equal(await server.stop(), 0, 'exit code after SIGTERM');
});

// The only settings an app changes: the endpoint of each service (and the region it names).
const identityConfig = () => ({ endpoint: server.endpoint, region: REGION, maxAttempts: 1 });
const syncClient = (credentials) => new CognitoSyncClient({
  endpoint: server.endpoint, region: REGION, credentials, maxAttempts: 1,
});

test('fromCognitoIdentityPool gets minted keys; the sync client signed with them syncs a dataset', async () => {
  const credentials = fromCognitoIdentityPool({ identityPoolId: POOL, clientConfig: identityConfig() });
  const got = await credentials();
  assert.match(got.identityId, /^us-east-1:[0-9a-f-]{36}$/);
  assert.match(got.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
  assert.ok(got.sessionToken && got.expiration > new Date(), 'a session token and a future expiration');
  const sync = syncClient(credentials);
  try {
    const ids = { IdentityPoolId: POOL, IdentityId: got.identityId, DatasetName: 'settings' };
    const listed = await sync.send(new ListRecordsCommand(ids));
    assert.match(listed.SyncSessionToken, TOKEN_RE);
    const written = await sync.send(new UpdateRecordsCommand({
      ...ids, SyncSessionToken: listed.SyncSessionToken,
      RecordPatches: [{ Op: 'replace', Key: 'theme', Value: 'dark', SyncCount: 0 }],
    }));
    assert.equal(written.Records[0].SyncCount, 1);
    const back = await sync.send(new ListRecordsCommand(ids));
    assert.deepEqual(back.Records.map((r) => [r.Key, r.Value, r.SyncCount, r.LastModifiedBy]),
      [['theme', 'dark', 1, got.identityId]]);
    assert.equal(back.DatasetSyncCount, 1);
  } finally {
    sync.destroy();
  }
});

test("minted keys are refused on another identity's dataset; fromCognitoIdentity gets that identity's own", async () => {
  const identity = new CognitoIdentityClient(identityConfig());
  const mine = syncClient(fromCognitoIdentityPool({ identityPoolId: POOL, client: identity }));
  try {
    const { IdentityId: other } = await identity.send(new GetIdCommand({ IdentityPoolId: POOL }));
    const mineId = (await mine.config.credentials()).identityId;
    assert.notEqual(other, mineId);
    const ids = { IdentityPoolId: POOL, IdentityId: other, DatasetName: 'settings' };
    await assert.rejects(mine.send(new ListRecordsCommand(ids)), (err) => {
      assert.equal(err.name, 'NotAuthorizedException');
      assert.equal(err.$metadata.httpStatusCode, 403);
      return true;
    });
    const theirs = syncClient(fromCognitoIdentity({ client: identity, identityId: other }));
    try {
      const listed = await theirs.send(new ListRecordsCommand(ids));
      assert.equal(listed.DatasetExists, false);
    } finally {
      theirs.destroy();
    }
  } finally {
    mine.destroy();
    identity.destroy();
  }
});

// README "From zero to a syncing app", as written there: its configuration file starts the
// server, and its JS block (the endpoint made this server's) syncs a record.
test('the README walk-through runs as written', async () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## From zero to a syncing app'));
  const block = (lang) => section.slice(section.indexOf(`\`\`\`${lang}\n`) + lang.length + 4).split('\n```')[0];
  const dir = mkdtempSync(join(here, '.walkthrough-'));
  const walkthrough = await startServerWithConfig(block('toml'));
  try {
    const script = join(dir, 'app.mjs');
    writeFileSync(script, `${block('js').replaceAll('http://localhost:8080', walkthrough.endpoint)}\nexport { sync, ids };\n`);
    const { sync, ids } = await import(pathToFileURL(script).href);
    try {
      const back = await sync.send(new ListRecordsCommand(ids));
      assert.deepEqual(back.Records.map((r) => [r.Key, r.Value]), [['theme', 'dark']]);
    } finally {
      sync.destroy();
    }
  } finally {
    assert.equal(await walkthrough.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});
