// amazon-cognito-js 1.1.0 (AWS.CognitoSyncManager on the AWS SDK for JavaScript v2) against cogsync
// alone, as a browser app uses it: sigv4 mode with no static key and the pool from [pools];
// AWS.CognitoIdentityCredentials gets an identity and minted keys from cogsync, and two "devices"
// (two managers, each with its own local store, one identity) sync a dataset, edit one key
// concurrently, see onConflict with both records, resolve it and converge.
//
// No browser globals are needed in Node: the library's UMD wrapper requires 'aws-sdk' itself and
// adds AWS.CognitoSyncManager to that module, the one imported here. What it reads from the SDK is
// the global AWS.config: a manager takes AWS.config.credentials and AWS.config.region when it is
// constructed, and its sync client is `new AWS.CognitoSync()` (src/CognitoSyncRemoteStorage.js),
// configured by AWS.config.cognitosync (the v2 SDK's per-service settings), which is where the
// sync endpoint goes. Its default store, StoreLocalStorage, would need window.localStorage, one per
// page: the two devices here use the StoreInMemory the library ships, one store per manager
// (src/CognitoSyncLocalStorage.js creates `new options.DataStore()`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import AWS from 'aws-sdk';
import { startServerWithPool } from './server.mjs';

createRequire(import.meta.url)('amazon-cognito-js');

const POOL = 'us-east-1:0d0d0d0d-1111-4222-8333-444455556666';

let server;

before(async () => {
  server = await startServerWithPool(POOL);
  AWS.config.update({ region: 'us-east-1', maxRetries: 0, cognitosync: { endpoint: server.endpoint } });
});

after(async () => {
  if (server) assert.equal(await server.stop(), 0, 'exit code after SIGTERM');
});

// A device: its credentials (a new identity, or the one it already has) and its sync manager.
async function device(identityId) {
  const credentials = new AWS.CognitoIdentityCredentials(
    { IdentityPoolId: POOL, ...(identityId ? { IdentityId: identityId } : {}) },
    { endpoint: server.endpoint, region: 'us-east-1' });
  await credentials.getPromise();
  assert.match(credentials.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
  AWS.config.credentials = credentials;
  return new AWS.CognitoSyncManager({ DataStore: AWS.CognitoSyncManager.StoreInMemory });
}

const call = (fn) => new Promise((resolve, reject) => fn((err, data) => (err ? reject(err) : resolve(data))));
const open = (manager, name) => call((cb) => manager.openOrCreateDataset(name, cb));
const put = (dataset, key, value) => call((cb) => dataset.put(key, value, cb));
const get = (dataset, key) => call((cb) => dataset.get(key, cb));
const syncCount = (dataset) => call((cb) => dataset.getDatasetMetadata(cb)).then((m) => m.getLastSyncCount());

// synchronize with the callbacks of the library's README; onConflict resolves with `resolve`.
function synchronize(dataset, resolve = null) {
  const conflicts = [];
  return new Promise((done, fail) => dataset.synchronize({
    onSuccess: () => done(conflicts),
    onFailure: fail,
    onConflict: (ds, found, carryOn) => {
      conflicts.push(...found);
      if (!resolve) return carryOn(false);
      return ds.resolve(found.map(resolve), () => carryOn(true));
    },
    onDatasetDeleted: (ds, name, carryOn) => carryOn(true),
    onDatasetsMerged: (ds, names, carryOn) => carryOn(false),
  }));
}

test('two devices of one identity sync, conflict, resolve and converge', async () => {
  const a = await device();
  const identityId = a.getIdentityId();
  const b = await device(identityId);
  assert.equal(b.getIdentityId(), identityId);
  const onA = await open(a, 'settings');
  const onB = await open(b, 'settings');

  await put(onA, 'theme', 'dark');
  assert.deepEqual(await synchronize(onA), []);
  assert.deepEqual(await synchronize(onB), []);
  assert.equal(await get(onB, 'theme'), 'dark');
  assert.equal(await syncCount(onB), await syncCount(onA));

  await put(onA, 'theme', 'light');
  await put(onB, 'theme', 'blue');
  assert.deepEqual(await synchronize(onA), []);
  const conflicts = await synchronize(onB, (c) => c.resolveWithValue(
    `${c.getLocalRecord().getValue()}+${c.getRemoteRecord().getValue()}`));
  assert.equal(conflicts.length, 1);
  assert.equal(conflicts[0].getKey(), 'theme');
  assert.equal(conflicts[0].getLocalRecord().getValue(), 'blue');
  assert.equal(conflicts[0].getRemoteRecord().getValue(), 'light');
  assert.equal(conflicts[0].getRemoteRecord().getLastModifiedBy(), identityId);

  assert.deepEqual(await synchronize(onA), []);
  assert.deepEqual(await synchronize(onB), []);
  assert.equal(await get(onA, 'theme'), 'blue+light');
  assert.equal(await get(onB, 'theme'), 'blue+light');
  const count = await syncCount(onA);
  assert.equal(await syncCount(onB), count);
  assert.equal(count, 3, 'dark, light, then the resolved value: three writes');
});
