#pragma once
// The hooks file: where push sync notifications, Cognito Streams records and Sync Trigger calls go
// (PROTOCOL.md 7). A leaf of the config layer: plain data; the server layer maps each `type` to
// an implementation (server/hook_registry.cpp) and checks the settings that type needs.
//
// Format (UTF-8 text, one setting per line; '#' comments as in the credentials file):
//
//   [sink.devices]                 a sink: "sink." + a name of letters, digits, '_' and '-'
//   type = webhook                 push sinks: webhook | log
//   url = http://127.0.0.1:9000/push
//   platforms = *                  push sink: the PushSync platforms it serves (APNS, APNS_SANDBOX,
//                                  GCM, ADM) as a comma list, or *
//
//   [sink.analytics]
//   type = kinesis                 stream sinks: kinesis | file | directory (dir = ..., a file per
//                                  stream) | webhook
//   endpoint = http://127.0.0.1:4567
//   region = us-east-1
//   access_key = AKIDEXAMPLE
//   secret_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
//   streams = *                    stream sink: the CognitoStreams StreamNames it serves, or *;
//                                  each record goes to the pool's StreamName
//
//   [sink.audit]
//   type = file
//   path = /var/lib/cogsync/changes.ndjson
//   fsync = always                 always (default) | never
//   streams = *
//
//   [trigger.validate]             a Sync Trigger target: "trigger." + a name
//   type = webhook                 webhook | lambda
//   url = http://127.0.0.1:9001/trigger
//   functions = *                  the Lambda ARNs (SetCognitoEvents SyncTrigger) it serves, or *
//
//   [trigger.aws]
//   type = lambda                  Lambda Invoke API, SigV4-signed (service "lambda")
//   endpoint = http://127.0.0.1:9002
//   region = us-east-1
//   access_key = ...
//   secret_key = ...
//   functions = arn:aws:lambda:us-east-1:123456789012:function:validate
//
// Every section takes `timeout_ms` (default 5000, 100..60000): the total time of one HTTP call.
// `url`/`endpoint` may be https:// (TLS 1.2+, server verified against the system CAs and the host
// name); every HTTP-based section also takes `ca_file = /path/ca.pem`, an extra trusted CA.
// A sink is a push sink when it has `platforms`, a stream sink when it has `streams` (exactly one
// of the two); a trigger needs `functions`. When several sections serve the same platform, stream
// or function, every matching sink delivers, and the first matching trigger (file order) is used.
//
// Delivery (server/hooks/outbox_deliverer.hpp): changes are appended to an outbox in the transaction that
// commits them. Each sink reads the outbox in order from its own cursor kept in the database, one
// delivery in flight, retrying failures with backoff from 100 ms doubling to 30 s: at-least-once,
// in commit order per sink, across restarts and kill -9. Each delivery carries a stable event id
// "cogsync-<outbox id>" (header X-Cogsync-Event-Id for webhooks, member "eventId" in file lines)
// so receivers can drop duplicates. A sink added later starts from the oldest untrimmed event.
//
// Payloads:
//  * push webhook: POST {"eventId","platform","token","deviceId","payload"} where payload is the
//    silent push of PROTOCOL.md 7.1 (GCM {"data":{...}}, APNS {"aps":{"content-available":1},
//    "data":{...}}, the five data values as strings); one POST per subscribed device except the
//    writer's DeviceId.
//  * stream webhook: POST the Kinesis record of PROTOCOL.md 7.4; kinesis: PutRecord of that record
//    (partition key = identityId); file: one line {"eventId","streamName","partitionKey",
//    "record":{...}} per record.
//  * trigger webhook: POST the Sync Trigger event (PROTOCOL.md 7.3), reply body = the function's
//    reply; non-2xx -> InvalidLambdaFunctionOutputException, 429 -> LambdaThrottledException.
//
// docker-compose example (a stream on kinesalite and a push webhook):
//
//   services:
//     kinesis:
//       image: node:20
//       command: npx --yes kinesalite --port 4567
//     receiver:
//       image: my-push-gateway            # receives POST /push, forwards to FCM/APNs
//     cogsync:
//       image: cogsync
//       command: serve --listen 0.0.0.0:8080 --hooks-file /etc/cogsync/hooks.ini
//       volumes: ["./hooks.ini:/etc/cogsync/hooks.ini:ro", "cogsync-data:/var/lib/cogsync"]
//   # hooks.ini:  [sink.stream] type = kinesis, endpoint = http://kinesis:4567, region = us-east-1,
//   #             access_key = x, secret_key = x, streams = *
//   #             [sink.push] type = webhook, url = http://receiver:9000/push, platforms = *
//
// The same sections may instead be tables of the configuration file, [sink.NAME] and
// [trigger.NAME] (config/toml_hooks.hpp); a server takes them from one of the two, never both.
//
// Errors throw std::runtime_error("<path>:<line>: <what>"): unreadable file, malformed line or
// header, unknown section kind, duplicate section, setting outside a section, unknown or repeated
// setting, empty value, missing type, a sink with both or neither of platforms/streams, a trigger
// without functions, an empty list entry, a bad fsync or timeout_ms, a url not starting http(s)://.
#include <map>
#include <string>
#include <vector>

namespace cogsync::config {

// A comma list that may be "*".
struct name_filter {
    bool all = false;
    std::vector<std::string> names;
    bool matches(const std::string& n) const;
};

enum class hook_role { push_sink, stream_sink, trigger };

struct hook_section {
    hook_role role = hook_role::push_sink;
    std::string name;      // after "sink." / "trigger."
    std::string type;      // webhook | log | kinesis | file | lambda | ...
    name_filter serves;    // platforms, streams or functions
    int timeout_ms = 5000;
    std::map<std::string, std::string> settings;  // url, endpoint, region, keys, path, fsync
    int line = 0;          // of the section header, for messages
    // settings[name], or "" when absent.
    std::string get(const std::string& name) const;
};

struct hooks_config {
    std::vector<hook_section> sinks;     // push and stream sinks, file order
    std::vector<hook_section> triggers;  // file order
};

hooks_config load_hooks_file(const std::string& path);
hooks_config parse_hooks(const std::string& text, const std::string& name);

}  // namespace cogsync::config
