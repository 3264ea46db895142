#include "api/identity/tokens/own_tokens.hpp"

#include <stdexcept>
#include <variant>

#include "api/identity/tokens/jwt.hpp"

namespace cogsync::api::identity {

bool is_own_login_key(std::string_view key) {
    return key == own_login_key || key == "cognito-identity.cn-north-1.amazonaws.com.cn";
}

login_provider own_token_provider(const signing_key& key, const std::string& issuer,
                                  const std::string& identity_pool_id) {
    auto made = make_login_provider(std::string(own_login_key), issuer, {identity_pool_id}, jwks_document({&key}));
    if (auto* error = std::get_if<std::string>(&made)) throw std::runtime_error("the node's own JWKS: " + *error);
    return std::get<login_provider>(std::move(made));
}

}  // namespace cogsync::api::identity
