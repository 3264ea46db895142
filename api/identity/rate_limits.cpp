#include "api/identity/rate_limits.hpp"

#include <string>

#include "api/api_error.hpp"

namespace cogsync::api::identity {
namespace {

constexpr std::size_t max_id_length = 55;  // IdentityPoolId and IdentityId (service-2.json)

void take_or_throw(rate_limiter& limiter, const std::string& key, int64_t now_ms) {
    if (!limiter.allow(key, now_ms)) throw api_error(error_code::too_many_requests, "Rate exceeded");
}

void take(rate_limiter* limiter, const rapidjson::Value& input, const char* member, int64_t now_ms) {
    if (!limiter) return;
    auto it = input.FindMember(member);
    if (it == input.MemberEnd() || !it->value.IsString() || it->value.GetStringLength() > max_id_length) return;
    take_or_throw(*limiter, std::string(it->value.GetString(), it->value.GetStringLength()), now_ms);
}

}  // namespace

void check_rate(const identity_rate_limits& limits, std::string_view operation, const request& req,
                const rapidjson::Value& input, int64_t now_ms) {
    if (operation == "GetId") {
        if (limits.get_id_per_address && !req.client_address.empty())
            take_or_throw(*limits.get_id_per_address, req.client_address, now_ms);
        take(limits.get_id_per_pool, input, "IdentityPoolId", now_ms);
    } else if (operation == "GetCredentialsForIdentity" || operation == "GetOpenIdToken") {
        take(limits.per_identity, input, "IdentityId", now_ms);
    }
}

}  // namespace cogsync::api::identity
