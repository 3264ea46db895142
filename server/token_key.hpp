#pragma once
#include <string>

namespace cogsync::server {

// The secret that signs SyncSessionTokens and NextTokens, kept in <data_dir>/token.key (mode 0600)
// so tokens stay valid across restarts; created with 32 random bytes on first start.
std::string load_or_create_token_key(const std::string& data_dir);

}  // namespace cogsync::server
