#include "api/identity/well_known.hpp"

#include <rapidjson/stringbuffer.h>

#include <string_view>

#include "api/identity/node_key.hpp"
#include "api/identity/tokens/jwt.hpp"
#include "api/json_codec.hpp"

namespace cogsync::api::identity {
namespace {

constexpr std::string_view prefix = "/.well-known/";

std::string without_trailing_slash(std::string s) {
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
}

// The path of an absolute issuer URL ("https://host/base" -> "/base"), "" when it has none.
std::string issuer_path(const std::string& issuer) {
    const auto scheme = issuer.find("://");
    const auto slash = issuer.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return slash == std::string::npos ? std::string() : without_trailing_slash(issuer.substr(slash));
}

response json_document(std::string body) {
    return response{200, {{"Content-Type", "application/json"}, {"Cache-Control", "max-age=300"}}, std::move(body)};
}

std::string openid_configuration(const std::string& issuer) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_string_member(w, "issuer", issuer);
    write_string_member(w, "jwks_uri", without_trailing_slash(issuer) + "/.well-known/jwks_uri");
    for (const auto& [name, value] : {std::pair{"response_types_supported", "id_token"},
                                      std::pair{"subject_types_supported", "public"},
                                      std::pair{"id_token_signing_alg_values_supported", "RS256"}}) {
        w.Key(name);
        w.StartArray();
        w.String(value);
        w.EndArray();
    }
    w.EndObject();
    return {buf.GetString(), buf.GetSize()};
}

}  // namespace

std::optional<response> well_known_document(const request& req, context& ctx) {
    if (req.method != "GET") return std::nullopt;
    std::string_view path = req.path;
    const auto base = issuer_path(ctx.token_issuer);
    if (!base.empty() && path.starts_with(base + std::string(prefix))) path.remove_prefix(base.size());
    if (!path.starts_with(prefix)) return std::nullopt;
    const auto name = path.substr(prefix.size());
    if (name == "jwks.json" || name == "jwks_uri") {
        const auto key = node_signing_key(ctx);
        return json_document(jwks_document({&key}));
    }
    if (name == "openid-configuration") return json_document(openid_configuration(ctx.token_issuer));
    return std::nullopt;
}

}  // namespace cogsync::api::identity
