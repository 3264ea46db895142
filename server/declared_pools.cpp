#include "server/declared_pools.hpp"

#include <rapidjson/document.h>

#include <stdexcept>

#include "api/api_error.hpp"
#include "api/identity/pool_shapes.hpp"
#include "api/validate.hpp"

namespace cogsync::server {

// The declaration as CreateIdentityPool's input, so the model's checks apply to it.
storage::identity_pool checked_pool(const config::declared_pool& d) {
    rapidjson::Document in(rapidjson::kObjectType);
    auto& a = in.GetAllocator();
    in.AddMember("IdentityPoolName", rapidjson::Value(d.name.c_str(), a), a);
    in.AddMember("AllowUnauthenticatedIdentities", d.allow_unauthenticated, a);
    if (!d.developer_provider.empty())
        in.AddMember("DeveloperProviderName", rapidjson::Value(d.developer_provider.c_str(), a), a);
    if (!d.supported_login_providers.empty()) {
        rapidjson::Value logins(rapidjson::kObjectType);
        for (const auto& [provider, app] : d.supported_login_providers)
            logins.AddMember(rapidjson::Value(provider.c_str(), a), rapidjson::Value(app.c_str(), a), a);
        in.AddMember("SupportedLoginProviders", logins, a);
    }
    try {
        api::check_pool_id(d.id, "IdentityPoolId");
        auto p = api::identity::pool_from_input(in);
        p.id = d.id;
        return p;
    } catch (const api::api_error& e) {
        throw std::runtime_error("pool " + d.id + " in the configuration: " + e.what());
    }
}

void apply_declared_pools(storage::record_store& store, const std::vector<config::declared_pool>& pools, int64_t now_ms) {
    for (const auto& d : pools) {
        auto wanted = checked_pool(d);
        bool saved = store.write([&](storage::write_view& v) {
            auto existing = v.find_identity_pool(d.id);
            wanted.created_ms = existing ? existing->created_ms : now_ms;
            if (existing) wanted.roles = existing->roles;
            return v.save_identity_pool(wanted);
        });
        if (!saved)
            throw std::runtime_error("pool " + d.id + " in the configuration: developer provider " + d.developer_provider +
                                     " belongs to another identity pool");
    }
}

}  // namespace cogsync::server
