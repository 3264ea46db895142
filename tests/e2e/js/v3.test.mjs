// AWS SDK for JavaScript v3 (@aws-sdk/client-cognito-sync) against cogsync, endpoint only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CognitoSyncClient, ListRecordsCommand, UpdateRecordsCommand, DescribeDatasetCommand,
  ListDatasetsCommand, DeleteDatasetCommand, DescribeIdentityUsageCommand,
  DescribeIdentityPoolUsageCommand, ListIdentityPoolUsageCommand,
} from '@aws-sdk/client-cognito-sync';
import { startServer, newPool, newIdentity, TOKEN_RE, credentials } from './server.mjs';

let server;
let client;

before(async () => {
  server = await startServer();
  client = new CognitoSyncClient({
    endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1,
  });
});

after(async () => {
  client?.destroy();
  if (server) assert.equal(await server.stop(), 0, 'exit code after SIGTERM');
});

const send = (cmd) => client.send(cmd);
const list = (pool, id, ds, extra = {}) =>
  send(new ListRecordsCommand({ IdentityPoolId: pool, IdentityId: id, DatasetName: ds, ...extra }));
const update = (pool, id, ds, patches, token) =>
  send(new UpdateRecordsCommand({
    IdentityPoolId: pool, IdentityId: id, DatasetName: ds, RecordPatches: patches, SyncSessionToken: token,
  }));
async function push(pool, id, ds, patches) {
  const { SyncSessionToken } = await list(pool, id, ds);
  return update(pool, id, ds, patches, SyncSessionToken);
}
const rep = (Key, Value, SyncCount) => ({ Op: 'replace', Key, Value, SyncCount });

test('ListRecords on a new dataset, UpdateRecords, ListRecords again', async () => {
  const pool = newPool(); const id = newIdentity();
  const first = await list(pool, id, 'ds');
  assert.equal(first.$metadata.httpStatusCode, 200);
  assert.deepEqual(first.Records, []);
  assert.equal(first.Count, 0);
  assert.equal(first.DatasetSyncCount, 0);
  assert.equal(first.DatasetExists, false);
  assert.equal(first.DatasetDeletedAfterRequestedSyncCount, false);
  assert.match(first.SyncSessionToken, TOKEN_RE);

  const out = await update(pool, id, 'ds', [rep('a', '1', 0), rep('b', '2', 0)], first.SyncSessionToken);
  assert.equal(out.Records.length, 2);
  for (const r of out.Records) {
    assert.equal(r.SyncCount, 1);
    assert.ok(r.LastModifiedDate instanceof Date);
    assert.ok(Math.abs(r.LastModifiedDate.getTime() - Date.now()) < 120000, 'date in seconds, not ms');
    assert.ok(r.DeviceLastModifiedDate instanceof Date);
    assert.equal(typeof r.LastModifiedBy, 'string');
  }
  const again = await list(pool, id, 'ds', { LastSyncCount: 0 });
  assert.equal(again.DatasetSyncCount, 1);
  assert.equal(again.DatasetExists, true);
  assert.deepEqual(Object.fromEntries(again.Records.map((r) => [r.Key, r.Value])), { a: '1', b: '2' });

  const delta = await list(pool, id, 'ds', { LastSyncCount: 1 });
  assert.deepEqual(delta.Records, []);

  const removed = await push(pool, id, 'ds', [{ Op: 'remove', Key: 'a', SyncCount: 1 }]);
  assert.equal(removed.Records[0].SyncCount, 2);
  assert.equal(removed.Records[0].Value, undefined);
});

test('conflict surfaces as ResourceConflictException with status 409', async () => {
  const pool = newPool(); const id = newIdentity();
  await push(pool, id, 'c', [rep('k', 'v', 0)]);
  const { SyncSessionToken } = await list(pool, id, 'c');
  await assert.rejects(update(pool, id, 'c', [rep('k', 'w', 0)], SyncSessionToken), (err) => {
    assert.equal(err.name, 'ResourceConflictException');
    assert.equal(err.$metadata.httpStatusCode, 409);
    assert.equal(err.message, 'Current SyncCount for: k is: 1 not: 0');
    return true;
  });
  // the token was not spent by the conflict
  const ok = await update(pool, id, 'c', [rep('k', 'w', 1)], SyncSessionToken);
  assert.equal(ok.Records[0].SyncCount, 2);
  await assert.rejects(update(pool, id, 'c', [rep('k', 'x', 2)], SyncSessionToken), (err) => {
    assert.equal(err.name, 'InvalidParameterException');
    assert.equal(err.$metadata.httpStatusCode, 400);
    return true;
  });
});

test('missing dataset is ResourceNotFoundException', async () => {
  const pool = newPool(); const id = newIdentity();
  await assert.rejects(
    send(new DescribeDatasetCommand({ IdentityPoolId: pool, IdentityId: id, DatasetName: 'none' })),
    (err) => {
      assert.equal(err.name, 'ResourceNotFoundException');
      assert.equal(err.$metadata.httpStatusCode, 404);
      return true;
    });
});

test('describe, list, usage and delete operations', async () => {
  const pool = newPool(); const id = newIdentity();
  await push(pool, id, 'one', [rep('k', 'vv', 0)]);
  await push(pool, id, 'two', [rep('kk', 'ü', 0)]);
  const d = await send(new DescribeDatasetCommand({ IdentityPoolId: pool, IdentityId: id, DatasetName: 'two' }));
  assert.equal(d.Dataset.DatasetName, 'two');
  assert.equal(d.Dataset.IdentityId, id);
  assert.equal(d.Dataset.NumRecords, 1);
  assert.equal(d.Dataset.DataStorage, 4);
  assert.ok(d.Dataset.CreationDate instanceof Date);
  assert.ok(d.Dataset.LastModifiedDate instanceof Date);
  assert.equal(typeof d.Dataset.LastModifiedBy, 'string');

  const ls = await send(new ListDatasetsCommand({ IdentityPoolId: pool, IdentityId: id }));
  assert.equal(ls.Count, 2);
  assert.deepEqual(ls.Datasets.map((x) => x.DatasetName).sort(), ['one', 'two']);

  const iu = await send(new DescribeIdentityUsageCommand({ IdentityPoolId: pool, IdentityId: id }));
  assert.equal(iu.IdentityUsage.DatasetCount, 2);
  assert.equal(iu.IdentityUsage.DataStorage, 3 + 4);
  assert.equal(iu.IdentityUsage.IdentityPoolId, pool);

  const pu = await send(new DescribeIdentityPoolUsageCommand({ IdentityPoolId: pool }));
  assert.equal(pu.IdentityPoolUsage.IdentityPoolId, pool);
  assert.equal(pu.IdentityPoolUsage.DataStorage, 7);

  const seen = [];
  let NextToken;
  do {
    const page = await send(new ListIdentityPoolUsageCommand({ MaxResults: 50, NextToken }));
    assert.equal(page.Count, page.IdentityPoolUsages.length);
    assert.equal(page.MaxResults, 50);
    seen.push(...page.IdentityPoolUsages.map((u) => u.IdentityPoolId));
    NextToken = page.NextToken;
  } while (NextToken);
  assert.ok(seen.includes(pool));

  const del = await send(new DeleteDatasetCommand({ IdentityPoolId: pool, IdentityId: id, DatasetName: 'one' }));
  assert.equal(del.Dataset.DatasetName, 'one');
  assert.equal(del.Dataset.NumRecords, 1);
  const after = await list(pool, id, 'one', { LastSyncCount: 0 });
  assert.equal(after.DatasetExists, false);
  await assert.rejects(
    send(new DeleteDatasetCommand({ IdentityPoolId: pool, IdentityId: id, DatasetName: 'one' })),
    { name: 'ResourceNotFoundException' });
});

test('unicode round trip', async () => {
  const pool = newPool(); const id = newIdentity();
  const data = {
    'emoji 😀🎉': 'value 🚀 𝄞 👩‍👩‍👧',
    '中文键': '日本語の値、한국어',
    'combining e\u0301': 'n\u0303',
    'quotes "q" \\ back': 'line1\nline2\r\n\ttab "quoted" \\',
    ctrl: '\u0001\u001f\u007f',
  };
  const out = await push(pool, id, 'u', Object.entries(data).map(([k, v]) => rep(k, v, 0)));
  assert.deepEqual(Object.fromEntries(out.Records.map((r) => [r.Key, r.Value])), data);
  const listed = await list(pool, id, 'u');
  const got = Object.fromEntries(listed.Records.map((r) => [r.Key, r.Value]));
  assert.deepEqual(got, data);
  for (const [k, v] of Object.entries(data)) {
    assert.ok(Buffer.from(got[k], 'utf8').equals(Buffer.from(v, 'utf8')));
  }
  const d = await send(new DescribeDatasetCommand({ IdentityPoolId: pool, IdentityId: id, DatasetName: 'u' }));
  const bytes = Object.entries(data).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  assert.equal(d.Dataset.DataStorage, bytes);
});

test('pagination of ListRecords and ListDatasets', async () => {
  const pool = newPool(); const id = newIdentity();
  const expected = {};
  for (let call = 0; call < 3; call++) {
    const patches = [];
    for (let i = 0; i < 7; i++) {
      const k = `k${call}-${i}`; expected[k] = `v${call}${i}`; patches.push(rep(k, expected[k], 0));
    }
    await push(pool, id, 'pages', patches);
  }
  const got = {};
  let NextToken; let pages = 0;
  do {
    const page = await list(pool, id, 'pages', { MaxResults: 4, NextToken });
    pages += 1;
    assert.ok(page.Records.length <= 4);
    assert.equal(page.DatasetSyncCount, 3);
    for (const r of page.Records) {
      assert.equal(got[r.Key], undefined, 'record listed twice');
      got[r.Key] = r.Value;
    }
    NextToken = page.NextToken;
    if (NextToken) assert.match(NextToken, TOKEN_RE);
  } while (NextToken && pages < 50);
  assert.deepEqual(got, expected);
  assert.equal(pages, 6);

  for (let i = 0; i < 5; i++) await push(pool, id, `d${i}`, [rep('k', 'v', 0)]);
  const names = [];
  NextToken = undefined;
  const sizes = [];
  do {
    const page = await send(new ListDatasetsCommand({ IdentityPoolId: pool, IdentityId: id, MaxResults: 2, NextToken }));
    sizes.push(page.Datasets.length);
    names.push(...page.Datasets.map((d) => d.DatasetName));
    NextToken = page.NextToken;
  } while (NextToken && sizes.length < 20);
  assert.deepEqual(sizes, [2, 2, 2]);
  assert.deepEqual(names.sort(), ['d0', 'd1', 'd2', 'd3', 'd4', 'pages']);
});
