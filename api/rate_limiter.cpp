#include "api/rate_limiter.hpp"

#include <algorithm>

namespace cogsync::api {
namespace {

const std::string* find_param(const query_list& params, std::string_view name) {
    for (const auto& [k, v] : params)
        if (k == name) return &v;
    return nullptr;
}

}  // namespace

std::string rate_key(const query_list& path_params, std::string_view access_key) {
    const auto* pool = find_param(path_params, "IdentityPoolId");
    if (!pool) return std::string("key") + '\0' + std::string(access_key);
    std::string key = std::string("pool") + '\0' + *pool;
    if (const auto* identity = find_param(path_params, "IdentityId")) key += '\0' + *identity;
    return key;
}

rate_limiter::rate_limiter(double per_second, double burst)
    : per_ms_(per_second / 1000.0), burst_(std::max(1.0, burst)) {}

bool rate_limiter::allow(const std::string& key, int64_t now_ms) {
    std::lock_guard lock(mu_);
    if (now_ms - last_sweep_ms_ > 60000) sweep(now_ms);
    auto [it, inserted] = buckets_.try_emplace(key, bucket{burst_, now_ms});
    auto& b = it->second;
    b.tokens = std::min(burst_, b.tokens + static_cast<double>(std::max<int64_t>(0, now_ms - b.updated_ms)) * per_ms_);
    b.updated_ms = now_ms;
    if (b.tokens < 1.0) return false;
    b.tokens -= 1.0;
    return true;
}

void rate_limiter::sweep(int64_t now_ms) {
    last_sweep_ms_ = now_ms;
    std::erase_if(buckets_, [&](const auto& entry) {
        return entry.second.tokens + static_cast<double>(now_ms - entry.second.updated_ms) * per_ms_ >= burst_;
    });
}

}  // namespace cogsync::api
