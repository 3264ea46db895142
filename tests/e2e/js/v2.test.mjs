// AWS SDK for JavaScript v2 (aws-sdk CognitoSync), the client amazon-cognito-js is built on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import AWS from 'aws-sdk';
import { startServer, newPool, newIdentity, TOKEN_RE, credentials } from './server.mjs';

let server;
let sync;

before(async () => {
  server = await startServer();
  sync = new AWS.CognitoSync({
    endpoint: server.endpoint, region: 'us-east-1', ...credentials, maxRetries: 0, sslEnabled: false,
  });
});

after(async () => {
  if (server) assert.equal(await server.stop(), 0, 'exit code after SIGTERM');
});

const rep = (Key, Value, SyncCount) => ({
  Op: 'replace', Key, Value, SyncCount, DeviceLastModifiedDate: new Date(),
});

test('ListRecords + UpdateRecords the way amazon-cognito-js does it', async () => {
  const IdentityPoolId = newPool(); const IdentityId = newIdentity(); const DatasetName = 'js';
  const listed = await sync.listRecords({
    IdentityPoolId, IdentityId, DatasetName, LastSyncCount: 0, MaxResults: 1024,
  }).promise();
  assert.deepEqual(listed.Records, []);
  assert.equal(listed.DatasetExists, false);
  assert.equal(listed.DatasetSyncCount, 0);
  assert.match(listed.SyncSessionToken, TOKEN_RE);

  const out = await sync.updateRecords({
    IdentityPoolId, IdentityId, DatasetName, SyncSessionToken: listed.SyncSessionToken,
    RecordPatches: [rep('highScore', '120', 0), rep('name', 'Zoë 😀', 0)],
  }).promise();
  assert.equal(out.Records.length, 2);
  for (const r of out.Records) {
    assert.equal(r.SyncCount, 1);
    assert.ok(r.LastModifiedDate instanceof Date);
    assert.ok(Math.abs(r.LastModifiedDate.getTime() - Date.now()) < 120000);
  }

  const again = await sync.listRecords({
    IdentityPoolId, IdentityId, DatasetName, LastSyncCount: 0, MaxResults: 1024,
  }).promise();
  assert.equal(again.DatasetSyncCount, 1);
  assert.deepEqual(Object.fromEntries(again.Records.map((r) => [r.Key, r.Value])),
    { highScore: '120', name: 'Zoë 😀' });

  const removed = await sync.updateRecords({
    IdentityPoolId, IdentityId, DatasetName, SyncSessionToken: again.SyncSessionToken,
    RecordPatches: [{ Op: 'remove', Key: 'name', SyncCount: 1, DeviceLastModifiedDate: new Date() }],
  }).promise();
  assert.equal(removed.Records[0].SyncCount, 2);
  assert.equal(removed.Records[0].Value, undefined);
  const delta = await sync.listRecords({
    IdentityPoolId, IdentityId, DatasetName, LastSyncCount: 1, MaxResults: 1024,
  }).promise();
  assert.deepEqual(delta.Records.map((r) => [r.Key, r.Value, r.SyncCount]), [['name', undefined, 2]]);
});

test('conflict is ResourceConflictException with statusCode 409', async () => {
  const IdentityPoolId = newPool(); const IdentityId = newIdentity(); const DatasetName = 'c';
  const l1 = await sync.listRecords({ IdentityPoolId, IdentityId, DatasetName }).promise();
  await sync.updateRecords({
    IdentityPoolId, IdentityId, DatasetName, SyncSessionToken: l1.SyncSessionToken,
    RecordPatches: [rep('k', 'v', 0)],
  }).promise();
  const l2 = await sync.listRecords({ IdentityPoolId, IdentityId, DatasetName }).promise();
  await assert.rejects(sync.updateRecords({
    IdentityPoolId, IdentityId, DatasetName, SyncSessionToken: l2.SyncSessionToken,
    RecordPatches: [rep('k', 'stale', 0)],
  }).promise(), (err) => {
    assert.equal(err.code, 'ResourceConflictException');
    assert.equal(err.statusCode, 409);
    assert.equal(err.message, 'Current SyncCount for: k is: 1 not: 0');
    return true;
  });
  const missing = await sync.describeDataset({ IdentityPoolId, IdentityId, DatasetName: 'nope' })
    .promise().catch((e) => e);
  assert.equal(missing.code, 'ResourceNotFoundException');
  assert.equal(missing.statusCode, 404);
});
