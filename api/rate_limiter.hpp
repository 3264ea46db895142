#pragma once
// Per-identity request rate limit (token buckets): over it, 429 TooManyRequestsException.
// Buckets idle long enough to be full again are dropped, so memory follows active identities.
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/percent.hpp"

namespace cogsync::api {

// The bucket of a call: its pool and identity, else its pool, else its access key. An identity
// is keyed under its pool, so a caller allowed on one pool cannot drain the bucket the same
// IdentityId has under another pool by naming it in its own. The parts are joined with NUL,
// which percent-decoding refuses inside a path parameter, so no two calls share a key by accident.
std::string rate_key(const query_list& path_params, std::string_view access_key);

class rate_limiter {
public:
    // `per_second` tokens are added each second up to `burst`.
    rate_limiter(double per_second, double burst);
    // Takes one token from `key`'s bucket; false when it is empty.
    bool allow(const std::string& key, int64_t now_ms);

private:
    struct bucket {
        double tokens;
        int64_t updated_ms;
    };
    void sweep(int64_t now_ms);

    double per_ms_;
    double burst_;
    std::mutex mu_;
    std::unordered_map<std::string, bucket> buckets_;
    int64_t last_sweep_ms_ = 0;
};

}  // namespace cogsync::api
