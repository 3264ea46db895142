#include "api/auth/sigv4.hpp"

#include <cctype>
#include <vector>

#include "api/api_error.hpp"
#include "api/auth/canonical.hpp"
#include "api/auth/crypto.hpp"
#include "api/auth/signature_params.hpp"

namespace cogsync::api::auth {
namespace {

constexpr std::string_view unsigned_payload = "UNSIGNED-PAYLOAD";
constexpr const char* mismatch_message =
    "The request signature we calculated does not match the signature you provided. Check your AWS "
    "Secret Access Key and signing method. Consult the service documentation for details.";
constexpr const char* bad_token_message = "The security token included in the request is invalid.";

[[noreturn]] void invalid_signature(std::string message) {
    throw api_error(error_code::invalid_signature, std::move(message));
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

void check_scope(const signature_params& p, std::string_view service) {
    if (p.service != service)
        invalid_signature("Credential should be scoped to correct service: '" + std::string(service) + "'. ");
    if (p.scope_date != p.amz_date.substr(0, 8))
        invalid_signature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
                          p.scope_date + "' != '" + p.amz_date.substr(0, 8) + "', from '" + p.amz_date + "'.");
}

// Messages follow AWS's own RequestExpired wording so SDK clock-skew logic recognises them.
void check_time(const signature_params& p, int64_t now_ms, int64_t max_skew_ms) {
    const auto skew_min = std::to_string(max_skew_ms / 60000);
    if (p.date_ms - now_ms > max_skew_ms)
        throw api_error(error_code::request_expired,
                        "Signature not yet current: " + p.amz_date + " is still later than " +
                            format_amz_date(now_ms + max_skew_ms) + " (" + format_amz_date(now_ms) + " + " +
                            skew_min + " min.)");
    if (p.expires_s) {
        if (now_ms > p.date_ms + *p.expires_s * 1000)
            throw api_error(error_code::request_expired,
                            "Request has expired: " + p.amz_date + " + " + std::to_string(*p.expires_s) +
                                " seconds is now earlier than " + format_amz_date(now_ms));
        return;
    }
    if (now_ms - p.date_ms > max_skew_ms)
        throw api_error(error_code::request_expired,
                        "Signature expired: " + p.amz_date + " is now earlier than " +
                            format_amz_date(now_ms - max_skew_ms) + " (" + format_amz_date(now_ms) + " - " +
                            skew_min + " min.)");
}

void check_token(const signature_params& p, const signing_key_lookup_result& key) {
    bool ok = key.session_token ? p.security_token && constant_time_equal(*p.security_token, *key.session_token)
                                : !p.security_token.has_value();
    if (!ok) throw api_error(error_code::unrecognized_client, bad_token_message);
}

// Payload hashes the signature may have been computed over, in order of preference. A sent
// x-amz-content-sha256 must match the body (a tampered body fails even though the header is
// signed); UNSIGNED-PAYLOAD is honoured only for presigned URLs.
std::vector<std::string> payload_hashes(const request& req, bool presigned) {
    auto body_hash = sha256_hex(req.body);
    auto sent = req.header("x-amz-content-sha256");
    if (sent && *sent == unsigned_payload) {
        if (!presigned) invalid_signature("UNSIGNED-PAYLOAD is only accepted on presigned URLs.");
        return {std::string(unsigned_payload)};
    }
    if (sent) {
        if (lower(*sent) != body_hash)
            invalid_signature("The provided 'x-amz-content-sha256' header does not match what was computed.");
        return {std::string(*sent)};
    }
    if (presigned) return {body_hash, std::string(unsigned_payload)};
    return {body_hash};
}

std::string signing_key(const std::string& secret, const signature_params& p) {
    auto k = hmac_sha256("AWS4" + secret, p.scope_date);
    k = hmac_sha256(k, p.region);
    k = hmac_sha256(k, p.service);
    return hmac_sha256(k, "aws4_request");
}

std::string string_to_sign(const signature_params& p, const std::string& creq) {
    return "AWS4-HMAC-SHA256\n" + p.amz_date + '\n' + p.scope + '\n' + sha256_hex(creq);
}

}  // namespace

std::string canonical_request(const request& req, std::string_view signed_headers,
                              std::string_view payload_hash, bool presigned) {
    return std::string(effective_method(req)) + '\n' + canonical_uri(req.path) + '\n' +
           canonical_query(req.query, presigned ? "X-Amz-Signature" : "") + '\n' +
           canonical_headers(req.headers, signed_headers) + '\n' + std::string(signed_headers) + '\n' +
           std::string(payload_hash);
}

sigv4_verifier::sigv4_verifier(secret_lookup lookup, std::string service, int64_t max_skew_ms)
    : lookup_(std::move(lookup)), service_(std::move(service)), max_skew_ms_(max_skew_ms) {}

verified sigv4_verifier::verify(const request& req, int64_t now_ms, std::string_view service) const {
    auto p = read_signature_params(req);
    check_scope(p, service);
    check_time(p, now_ms, max_skew_ms_);
    auto key = lookup_(p.access_key);
    if (!key) throw api_error(error_code::unrecognized_client, bad_token_message);
    check_token(p, *key);
    const auto k = signing_key(key->secret, p);
    const auto sent = lower(p.signature);
    for (const auto& hash : payload_hashes(req, p.presigned)) {
        auto sts = string_to_sign(p, canonical_request(req, p.signed_headers, hash, p.presigned));
        if (!constant_time_equal(to_hex(hmac_sha256(k, sts)), sent)) continue;
        if (key->minted && key->minted->expires_ms <= now_ms)
            throw api_error(error_code::expired_token, "The security token included in the request is expired");
        return {p.access_key, std::move(key->minted)};
    }
    invalid_signature(mismatch_message);
}

}  // namespace cogsync::api::auth
