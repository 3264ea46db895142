#include "server/login_providers.hpp"

#include <stdexcept>

namespace cogsync::server {

std::vector<api::identity::login_provider> load_login_providers(const std::vector<config::oidc_provider>& configured) {
    std::vector<api::identity::login_provider> out;
    for (const auto& p : configured) {
        auto made = api::identity::make_login_provider(p.login_key, p.issuer, p.client_ids, p.jwks);
        if (auto* error = std::get_if<std::string>(&made))
            throw std::runtime_error(*error + " (" + (p.jwks_file.empty() ? std::string("inline jwks") : p.jwks_file) + ")");
        out.push_back(std::get<api::identity::login_provider>(std::move(made)));
    }
    return out;
}

}  // namespace cogsync::server
