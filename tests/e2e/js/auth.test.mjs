// SigV4 authentication with the JS SDKs (PROTOCOL.md 1.1, 4.5): v3 and v2 sign with a
// developer key of the credentials file and are served; a wrong secret is refused with
// 403 InvalidSignatureException, which both SDKs surface under that name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CognitoSyncClient, ListRecordsCommand, UpdateRecordsCommand,
} from '@aws-sdk/client-cognito-sync';
import AWS from 'aws-sdk';
import { startServer, newPool, newIdentity, TOKEN_RE, writeCredentialsFile } from './server.mjs';

const DEV = { accessKeyId: 'AKIDEVELOPER0001', secretAccessKey: 'devsecret/with+chars' };
const DEV_ACCOUNT = '123456789012'; // LastModifiedBy of the developer key's writes
const WRONG = { accessKeyId: DEV.accessKeyId, secretAccessKey: 'not-the-secret' };

let server;
let creds;

before(async () => {
  creds = writeCredentialsFile({
    [DEV.accessKeyId]: { secret: DEV.secretAccessKey, kind: 'developer', pools: '*', account: DEV_ACCOUNT },
  });
  try {
    server = await startServer(['--credentials-file', creds.path]);
  } catch (e) {
    creds.remove();
    throw e;
  }
  assert.match(server.output(), /auth mode sigv4: 1 access key\(s\)/);
});

after(async () => {
  try {
    if (server) assert.equal(await server.stop(), 0, 'exit code after SIGTERM');
  } finally {
    creds?.remove();
  }
});

const v3 = (credentials) => new CognitoSyncClient({
  endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1,
});
const v2 = (credentials) => new AWS.CognitoSync({
  endpoint: server.endpoint, region: 'us-east-1', ...credentials, maxRetries: 0, sslEnabled: false,
});
const rep = (Key, Value, SyncCount) => ({ Op: 'replace', Key, Value, SyncCount });

test('v3 signed with the developer key: ListRecords + UpdateRecords', async () => {
  const client = v3(DEV);
  try {
    const ids = { IdentityPoolId: newPool(), IdentityId: newIdentity(), DatasetName: 'v3auth' };
    const listed = await client.send(new ListRecordsCommand(ids));
    assert.equal(listed.$metadata.httpStatusCode, 200);
    assert.equal(listed.DatasetExists, false);
    assert.match(listed.SyncSessionToken, TOKEN_RE);
    const out = await client.send(new UpdateRecordsCommand({
      ...ids, SyncSessionToken: listed.SyncSessionToken, RecordPatches: [rep('k', 'v', 0)],
    }));
    assert.equal(out.Records.length, 1);
    assert.equal(out.Records[0].SyncCount, 1);
    assert.equal(out.Records[0].LastModifiedBy, DEV_ACCOUNT);
    const again = await client.send(new ListRecordsCommand(ids));
    assert.deepEqual(again.Records.map((r) => [r.Key, r.Value]), [['k', 'v']]);
  } finally {
    client.destroy();
  }
});

test('v3 with a wrong secret: InvalidSignatureException, 403', async () => {
  const client = v3(WRONG);
  try {
    const ids = { IdentityPoolId: newPool(), IdentityId: newIdentity(), DatasetName: 'v3bad' };
    await assert.rejects(client.send(new ListRecordsCommand(ids)), (err) => {
      assert.equal(err.name, 'InvalidSignatureException');
      assert.equal(err.$metadata.httpStatusCode, 403);
      return true;
    });
  } finally {
    client.destroy();
  }
});

test('v2 signed with the developer key: listRecords + updateRecords', async () => {
  const sync = v2(DEV);
  const ids = { IdentityPoolId: newPool(), IdentityId: newIdentity(), DatasetName: 'v2auth' };
  const listed = await sync.listRecords({ ...ids, LastSyncCount: 0, MaxResults: 1024 }).promise();
  assert.equal(listed.DatasetExists, false);
  assert.match(listed.SyncSessionToken, TOKEN_RE);
  const out = await sync.updateRecords({
    ...ids, SyncSessionToken: listed.SyncSessionToken,
    RecordPatches: [{ ...rep('k', 'v', 0), DeviceLastModifiedDate: new Date() }],
  }).promise();
  assert.equal(out.Records.length, 1);
  assert.equal(out.Records[0].SyncCount, 1);
  assert.equal(out.Records[0].LastModifiedBy, DEV_ACCOUNT);
  const again = await sync.listRecords(ids).promise();
  assert.deepEqual(again.Records.map((r) => [r.Key, r.Value]), [['k', 'v']]);
});

test('v2 with a wrong secret: InvalidSignatureException, 403', async () => {
  const sync = v2(WRONG);
  const ids = { IdentityPoolId: newPool(), IdentityId: newIdentity(), DatasetName: 'v2bad' };
  await assert.rejects(sync.listRecords(ids).promise(), (err) => {
    assert.equal(err.code, 'InvalidSignatureException');
    assert.equal(err.statusCode, 403);
    return true;
  });
});

// PROTOCOL.md 1.3: a device clock 20 minutes behind is refused with RequestExpired; v3 reads the
// server's time from the Date header of that answer (getDateHeader), corrects its
// systemClockOffset and retries, and the retry is served.
test('v3 with a clock 20 minutes behind: RequestExpired, then served after correcting from Date', async () => {
  const skew = -20 * 60 * 1000;
  const client = new CognitoSyncClient({
    endpoint: server.endpoint, region: 'us-east-1', credentials: DEV, maxAttempts: 2, systemClockOffset: skew,
  });
  try {
    const ids = { IdentityPoolId: newPool(), IdentityId: newIdentity(), DatasetName: 'v3skew' };
    const listed = await client.send(new ListRecordsCommand(ids));
    assert.equal(listed.$metadata.httpStatusCode, 200);
    assert.equal(listed.$metadata.attempts, 2, 'the first attempt was refused, the second served');
    assert.ok(Math.abs(client.config.systemClockOffset) < 60 * 1000,
      `offset corrected from the Date header: ${client.config.systemClockOffset}`);
  } finally {
    client.destroy();
  }
});
