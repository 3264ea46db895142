#include "api/identity/tokens/verify_login_token.hpp"

#include <openssl/ecdsa.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <memory>

#include "api/base64url.hpp"
#include "api/identity/tokens/json_text.hpp"

namespace cogsync::api::identity {
namespace {

login_verdict fail(login_failure f, std::string message) { return {"", f, std::move(message)}; }

bool json_object(const std::string& text, rapidjson::Document& doc) {
    doc.Parse(text.data(), text.size());
    return !doc.HasParseError() && doc.IsObject();
}

// JWS ES256 signatures are r||s (RFC 7518 3.4); OpenSSL verifies DER.
std::string es256_der(const std::string& raw) {
    if (raw.size() != 64) return {};
    auto* u = reinterpret_cast<const unsigned char*>(raw.data());
    ECDSA_SIG* sig = ECDSA_SIG_new();
    BIGNUM* r = BN_bin2bn(u, 32, nullptr);
    BIGNUM* s = BN_bin2bn(u + 32, 32, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return {};
    }
    unsigned char* der = nullptr;
    int size = i2d_ECDSA_SIG(sig, &der);
    std::string out = size > 0 ? std::string(reinterpret_cast<char*>(der), static_cast<size_t>(size)) : std::string();
    OPENSSL_free(der);
    ECDSA_SIG_free(sig);
    return out;
}

bool signature_holds(const public_jwk& key, std::string_view input, std::string sig) {
    if (key.alg == "ES256") sig = es256_der(sig);
    if (sig.empty()) return false;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.key.get()) == 1 &&
           EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                            reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
}

bool cognito_user_pool(const std::string& issuer) {
    return issuer.rfind("https://cognito-idp.", 0) == 0 && issuer.find(".amazonaws.com/") != std::string::npos;
}

bool issuer_matches(const std::string& iss, const std::string& configured) {
    return iss == configured || (configured == "https://accounts.google.com" && iss == "accounts.google.com");
}

std::vector<std::string> audiences(const rapidjson::Value& claims, bool cognito) {
    std::vector<std::string> out;
    auto aud = claims.FindMember("aud");
    if (aud != claims.MemberEnd() && aud->value.IsString()) out.emplace_back(aud->value.GetString());
    if (aud != claims.MemberEnd() && aud->value.IsArray())
        for (const auto& a : aud->value.GetArray())
            if (a.IsString()) out.emplace_back(a.GetString());
    if (out.empty() && cognito && !json_text(claims, "client_id").empty()) out.push_back(json_text(claims, "client_id"));
    return out;
}

// The key that must have signed: the kid's, or the only key when the token names none.
std::variant<const public_jwk*, login_verdict> pick_key(const rapidjson::Value& header, const login_provider& p) {
    std::string alg = json_text(header, "alg");
    if (alg != "RS256" && alg != "ES256")
        return fail(login_failure::unsupported_alg, "token alg '" + alg + "' is not accepted (RS256 or ES256 only)");
    // RFC 7515 4.1.11: a token naming critical extensions must be refused unless they are understood.
    if (header.HasMember("crit")) return fail(login_failure::unsupported_alg, "token header extensions (crit) are not supported");
    if (p.keys.empty())
        return fail(login_failure::no_keys, "no signing keys configured for provider " + p.login_key +
                                                "; cogsync does not fetch keys from the internet");
    std::string kid = json_text(header, "kid");
    const public_jwk* key = nullptr;
    if (kid.empty() && p.keys.size() == 1) key = &p.keys.front();
    for (const auto& k : p.keys)
        if (!kid.empty() && k.kid == kid) key = &k;
    if (!key)
        return fail(login_failure::unknown_kid, kid.empty() ? "token names no kid and provider " + p.login_key + " has several keys"
                                                            : "no key with kid '" + kid + "' configured for provider " + p.login_key);
    if (key->alg != alg)
        return fail(login_failure::unsupported_alg, "token alg '" + alg + "' does not fit key '" + kid + "' (" + key->alg + ")");
    return key;
}

login_verdict check_claims(const rapidjson::Value& claims, const login_provider& p, int64_t now) {
    std::string iss = json_text(claims, "iss");
    if (!issuer_matches(iss, p.issuer))
        return fail(login_failure::wrong_issuer, "token issuer '" + iss + "' is not " + p.issuer);
    auto exp = claims.FindMember("exp");
    if (exp == claims.MemberEnd() || !exp->value.IsNumber()) return fail(login_failure::malformed, "token has no numeric exp");
    if (static_cast<double>(now) >= exp->value.GetDouble() + login_clock_skew_seconds)
        return fail(login_failure::expired, "token expired");
    auto nbf = claims.FindMember("nbf");
    if (nbf != claims.MemberEnd() && (!nbf->value.IsNumber() || static_cast<double>(now) + login_clock_skew_seconds < nbf->value.GetDouble()))
        return fail(login_failure::not_yet_valid, "token is not valid yet (nbf)");
    bool cognito = cognito_user_pool(p.issuer);
    if (!p.client_ids.empty()) {
        auto aud = audiences(claims, cognito);
        bool known = std::any_of(aud.begin(), aud.end(), [&](const std::string& a) {
            return std::find(p.client_ids.begin(), p.client_ids.end(), a) != p.client_ids.end();
        });
        if (!known) return fail(login_failure::wrong_audience, "token audience is not a client id configured for provider " + p.login_key);
    }
    if (cognito && json_text(claims, "token_use") != "id")
        return fail(login_failure::wrong_token_use, "Cognito User Pool token_use must be 'id', got '" + json_text(claims, "token_use") + "'");
    std::string sub = json_text(claims, "sub");
    if (sub.empty()) return fail(login_failure::malformed, "token has no sub");
    return {sub, login_failure::malformed, ""};
}

}  // namespace

std::variant<login_provider, std::string> make_login_provider(std::string login_key, std::string issuer,
                                                              std::vector<std::string> client_ids,
                                                              std::string_view jwks_json) {
    auto keys = parse_jwks(jwks_json);
    if (auto* error = std::get_if<std::string>(&keys)) return "provider " + login_key + ": JWKS " + *error;
    return login_provider{std::move(login_key), std::move(issuer), std::move(client_ids),
                          std::get<std::vector<public_jwk>>(std::move(keys))};
}

login_verdict verify_login_token(std::string_view token, const login_provider& provider, int64_t now) {
    size_t first = token.find('.');
    size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
    if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
        return fail(login_failure::malformed, "token is not a compact JWS (three dot-separated parts)");
    auto header_text = base64url_decode(token.substr(0, first));
    auto claims_text = base64url_decode(token.substr(first + 1, second - first - 1));
    auto sig = base64url_decode(token.substr(second + 1));
    rapidjson::Document header, claims;
    if (!header_text || !claims_text || !sig || !json_object(*header_text, header) || !json_object(*claims_text, claims))
        return fail(login_failure::malformed, "token parts are not base64url JSON objects");
    auto key = pick_key(header, provider);
    if (auto* refused = std::get_if<login_verdict>(&key)) return *refused;
    if (!signature_holds(*std::get<const public_jwk*>(key), token.substr(0, second), *sig))
        return fail(login_failure::bad_signature, "token signature does not verify with the key of provider " + provider.login_key);
    return check_claims(claims, provider, now);
}

}  // namespace cogsync::api::identity
