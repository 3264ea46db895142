#include "server/hooks/outbound_sigv4.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "api/auth/canonical.hpp"
#include "api/auth/crypto.hpp"

namespace cogsync::server {

namespace auth = api::auth;

namespace {

std::string amz_date(int64_t now_ms) {
    std::time_t t = static_cast<std::time_t>(now_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return buf;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

void sign_sigv4(http_call& call, const signing_identity& who, int64_t now_ms) {
    auto date_time = amz_date(now_ms);
    auto date = date_time.substr(0, 8);
    auto payload_hash = auth::sha256_hex(call.body);
    call.headers.emplace_back("X-Amz-Date", date_time);
    call.headers.emplace_back("X-Amz-Content-Sha256", payload_hash);

    api::header_list signed_list = {{"host", host_header(call.url)}};
    for (const auto& [k, v] : call.headers) {
        auto name = lower(k);
        if (name == "content-type" || name.rfind("x-amz-", 0) == 0) signed_list.emplace_back(name, v);
    }
    std::vector<std::string> names;
    for (const auto& h : signed_list) names.push_back(h.first);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::string signed_headers;
    for (const auto& n : names) signed_headers += (signed_headers.empty() ? "" : ";") + n;

    auto q = call.url.target.find('?');
    auto path = call.url.target.substr(0, q);
    auto query = q == std::string::npos ? std::string() : call.url.target.substr(q + 1);
    auto canonical = call.method + "\n" + auth::canonical_uri(path) + "\n" + auth::canonical_query(query) + "\n" +
                     auth::canonical_headers(signed_list, signed_headers) + "\n" + signed_headers + "\n" +
                     payload_hash;
    auto scope = date + "/" + who.region + "/" + who.service + "/aws4_request";
    auto to_sign = "AWS4-HMAC-SHA256\n" + date_time + "\n" + scope + "\n" + auth::sha256_hex(canonical);
    auto key = auth::hmac_sha256("AWS4" + who.secret_key, date);
    key = auth::hmac_sha256(key, who.region);
    key = auth::hmac_sha256(key, who.service);
    key = auth::hmac_sha256(key, "aws4_request");
    auto signature = auth::to_hex(auth::hmac_sha256(key, to_sign));
    call.headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + who.access_key + "/" + scope +
                                                   ", SignedHeaders=" + signed_headers +
                                                   ", Signature=" + signature);
}

}  // namespace cogsync::server
