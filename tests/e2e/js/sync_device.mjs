// A device running amazon-cognito-js (the Cognito Sync Manager on the AWS SDK v2) in Node, for
// tests/e2e/test_migrate.py: its browser localStorage is a JSON file that outlives the process,
// so a second run is the same device with its cached IdentityId, records and sync counts.
//   node sync_device.mjs ENDPOINT POOL IDENTITY STORAGE_FILE KEY SECRET KEY=VALUE...
// sets each KEY=VALUE in dataset "device-js", synchronizes, and prints one JSON line: the records
// each ListRecords answered, whether a conflict was reported, the count it ends at.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import AWS from 'aws-sdk';

const [endpoint, pool, identityId, file, key, secret, ...changes] = process.argv.slice(2);

class FileStorage {
  constructor(path) {
    Object.defineProperty(this, 'path', { value: path });
    if (fs.existsSync(path)) Object.assign(this, JSON.parse(fs.readFileSync(path, 'utf8')));
  }
  getItem(k) { return Object.hasOwn(this, k) ? this[k] : null; }
  setItem(k, v) { this[k] = String(v); this.save(); }
  removeItem(k) { delete this[k]; this.save(); }
  save() { fs.writeFileSync(this.path, JSON.stringify(this)); }
}
Object.defineProperty(FileStorage.prototype, 'save', { enumerable: false });

globalThis.window = { localStorage: new FileStorage(file) };
globalThis.AWS = AWS;
createRequire(import.meta.url)('amazon-cognito-js');

AWS.config.update({ region: 'us-east-1', cognitosync: { endpoint, sslEnabled: false, maxRetries: 0 } });
const provider = new AWS.Credentials(key, secret);
provider.params = { IdentityPoolId: pool };
provider.identityId = identityId;
AWS.config.credentials = provider;

const listed = [];
AWS.events.on('success', (response) => {
  if (response.request.operation === 'listRecords') listed.push(response.data.Records.map((r) => r.Key));
});

const manager = new AWS.CognitoSyncManager();
const report = { listed, conflict: false };
manager.openOrCreateDataset('device-js', (err, dataset) => {
  if (err) throw err;
  const put = (i) => {
    if (i === changes.length) return sync();
    const [k, v] = changes[i].split('=');
    dataset.put(k, v, (e) => { if (e) throw e; put(i + 1); });
  };
  const sync = () => dataset.synchronize({
    onSuccess: () => dataset.getDatasetMetadata((e, meta) => {
      report.lastSyncCount = meta.getLastSyncCount();
      console.log(JSON.stringify(report));
    }),
    onFailure: (e) => { report.error = String(e); console.log(JSON.stringify(report)); process.exitCode = 1; },
    onConflict: (ds, conflicts, callback) => { report.conflict = true; callback(false); },
    onDatasetDeleted: (ds, name, callback) => callback(false),
    onDatasetsMerged: (ds, names, callback) => callback(false),
  });
  put(0);
});
