#pragma once
// Serializes the write jobs that read a login's link and then link it: concurrent first calls
// of one user (GetId with a login, GetOpenIdTokenForDeveloperIdentity) must end on one identity,
// where a store with many writers would otherwise let each create its own and the last link win.
// It takes the store's identity lock under a key made from the login: identity ids are
// <region>:<uuid>, so such a key never meets an identity's. Logins are locked in one order, so
// two jobs locking the same logins never wait on each other in a cycle.
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "storage/record_store.hpp"

namespace cogsync::api::identity {

inline void lock_logins(storage::write_view& v, const std::string& pool, std::vector<storage::identity_login> logins) {
    std::sort(logins.begin(), logins.end(),
              [](const auto& a, const auto& b) { return std::tie(a.provider, a.subject) < std::tie(b.provider, b.subject); });
    for (const auto& l : logins) v.lock_identity(pool, "login\x1f" + l.provider + "\x1f" + l.subject);
}

}  // namespace cogsync::api::identity
