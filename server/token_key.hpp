#pragma once
#include <string>

#include "storage/record_store.hpp"

namespace cogsync::server {

// The secret that signs SyncSessionTokens and NextTokens. It lives in the store's node state, so
// tokens stay valid across restarts and every node sharing the store accepts the tokens of the
// others; created with 32 random bytes on first start. A <data_dir>/token.key left by an earlier
// version is adopted, so tokens issued before an upgrade stay valid.
std::string load_or_create_token_key(storage::record_store& store, const std::string& data_dir);

// The key that signs stream payload URLs (api/stream_payloads.hpp): 32 random bytes kept in the
// store beside the token key, so URLs stay valid across restarts.
std::string load_or_create_stream_payload_key(storage::record_store& store);

}  // namespace cogsync::server
