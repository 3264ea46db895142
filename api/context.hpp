#pragma once
// What operations need besides the request: the store, the token codec, limits and a clock.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "api/auth/access.hpp"
#include "api/hooks.hpp"
#include "api/metrics.hpp"
#include "api/rate_limiter.hpp"
#include "api/readiness.hpp"
#include "api/stream_payloads.hpp"
#include "api/sync_rules.hpp"
#include "api/token_codec.hpp"
#include "storage/record_store.hpp"

namespace cogsync::api {

namespace identity {
struct login_provider;
class signing_key_cache;
}

// Push fan-out: every change is one push per subscribed device (PROTOCOL.md 7.1).
struct push_limits {
    int64_t max_devices = 20;        // registered devices per identity
    int64_t max_subscriptions = 20;  // subscribed devices per dataset
};

// Buckets of the unsigned Cognito Identity operations (api/identity/rate_limits.hpp); null: off.
struct identity_rate_limits {
    rate_limiter* get_id_per_pool = nullptr;
    rate_limiter* get_id_per_address = nullptr;
    rate_limiter* per_identity = nullptr;  // GetCredentialsForIdentity, GetOpenIdToken
};

struct context {
    storage::record_store& store;
    token_codec tokens;
    sync_limits limits;
    int64_t session_ttl_ms = 300000;
    std::function<int64_t()> now_ms;  // epoch milliseconds
    std::string region = "us-east-1";  // the server's region, named in Sync Trigger events (7.3)
    std::string token_issuer;          // iss of the OpenID tokens signed here (config::token_issuer)
    // The node's key for those tokens (api/identity/node_key.hpp); null: read from the store at
    // each use.
    identity::signing_key_cache* signing_keys = nullptr;
    const auth::authenticator* auth = nullptr;  // null: open mode, no signature required
    rate_limiter* limiter = nullptr;            // null: no per-identity rate limit
    identity_rate_limits identity_limits;
    sync_trigger_invoker* trigger = nullptr;    // null: Sync Triggers configured on pools fail (7.3)
    outbox_listener* outbox = nullptr;          // null: nobody to wake after outbox appends
    // Whether a stream sink serves a StreamName (SetIdentityPoolConfiguration refuses others);
    // null: every StreamName is accepted.
    std::function<bool(const std::string&)> stream_served;
    stream_payloads* payloads = nullptr;  // null: no GET /streams/payload/ route
    // The configured OpenID Connect providers that Logins are verified against
    // (api/identity/verify_logins.hpp); null: none, every login is refused.
    const std::vector<identity::login_provider>* login_providers = nullptr;
    const readiness* ready = nullptr;     // null: GET /ready always answers 200
    metrics* counters = nullptr;          // null: nothing counted, no GET /metrics route
    // false: no sink consumes "update" and "delete" events (no push or stream sink is
    // configured), so writes append none; with true, writes append them only for pools that hear
    // changes (api/change_event.hpp). BulkPublish events are always appended.
    bool change_events = true;
    push_limits push;
    int64_t bulk_publish_interval_ms = 24LL * 3600 * 1000;  // wait after a successful BulkPublish (7.5)
    int64_t credentials_ttl_ms = 3600000;  // lifetime of GetCredentialsForIdentity's credentials
};

}  // namespace cogsync::api
