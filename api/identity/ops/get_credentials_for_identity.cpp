// GetCredentialsForIdentity: temporary credentials for an existing identity, as AWS mints them:
// an access key id "ASIA" + 16 upper-case alphanumerics, a 40-character secret, an opaque base64
// session token and Expiration in epoch seconds. Stored (storage::minted_credential) so that the
// sync side accepts them as an identity key of that pool and identity until they expire or the
// identity is deleted. No signature needed; who may get them is api/identity/identity_proof.hpp's
// rule. Expired credentials are purged opportunistically here, so their table grows with the
// minting rate only.
#include <memory>

#include "api/api_error.hpp"
#include "api/base64url.hpp"
#include "api/identity/identity_proof.hpp"
#include "api/identity/ops/operations.hpp"
#include "api/identity/shapes.hpp"
#include "api/token_codec.hpp"
#include "api/validate.hpp"

namespace cogsync::api::identity::ops {
namespace {

// `n` characters of `alphabet`, uniformly (rejection of the bytes beyond a multiple of its size).
std::string random_text(std::size_t n, std::string_view alphabet) {
    std::string out;
    const auto limit = 256 - 256 % alphabet.size();
    while (out.size() < n)
        for (unsigned char b : token_codec::random_bytes(n))
            if (b < limit && out.size() < n) out += alphabet[b % alphabet.size()];
    return out;
}

constexpr std::string_view upper_alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view secret_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void check_inputs(const rapidjson::Value& in) {
    if (auto arn = get_string(in, "CustomRoleArn")) check_length(*arn, "CustomRoleArn", 20, 2048);
}

}  // namespace

step get_credentials_for_identity(const identity_call& c, context& ctx) {
    const auto identity = identity_id_member(c.input);
    check_inputs(c.input);
    auto claim = std::make_shared<identity_claim>(verify_identity_logins(ctx, identity, optional_logins_member(c.input)));
    const auto now = ctx.now_ms();
    auto cred = std::make_shared<storage::minted_credential>(storage::minted_credential{
        "ASIA" + random_text(16, upper_alnum), random_text(40, secret_alphabet),
        base64_encode(token_codec::random_bytes(192)), "", identity, (now + ctx.credentials_ttl_ms) / 1000 * 1000});  // whole seconds, as Expiration says
    auto result = std::make_shared<admission>(admission::no_identity);
    auto job = [cred, claim, result, now](storage::write_view& v) {
        v.purge_expired_credentials(now);
        *result = admit(v, *claim);
        if (*result != admission::admitted) return true;
        cred->pool = claim->pool;
        v.save_minted_credential(*cred);
        return true;
    };
    return write_step{job, [cred, claim, result, counters = ctx.counters]() -> step {
                          if (*result != admission::admitted) refuse(*result, *claim);
                          if (counters) counters->credentials_minted();
                          rapidjson::StringBuffer buf;
                          json_writer w(buf);
                          w.StartObject();
                          write_string_member(w, "IdentityId", cred->identity_id);
                          w.Key("Credentials");
                          w.StartObject();
                          write_string_member(w, "AccessKeyId", cred->access_key);
                          write_string_member(w, "SecretKey", cred->secret);
                          write_string_member(w, "SessionToken", cred->session_token);
                          w.Key("Expiration");
                          w.Int64(cred->expires_ms / 1000);
                          w.EndObject();
                          w.EndObject();
                          return json11_response(buf);
                      }};
}

}  // namespace cogsync::api::identity::ops
