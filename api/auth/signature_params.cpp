#include "api/auth/signature_params.hpp"

#include <cctype>
#include <cstdio>
#include <vector>

#include "api/api_error.hpp"
#include "api/auth/canonical.hpp"

namespace cogsync::api::auth {
namespace {

constexpr std::string_view algorithm = "AWS4-HMAC-SHA256";
constexpr int64_t max_expires_s = 7 * 24 * 3600;

[[noreturn]] void incomplete(std::string message) {
    throw api_error(error_code::incomplete_signature, std::move(message));
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    size_t pos = 0;
    while (true) {
        size_t next = s.find(sep, pos);
        out.push_back(s.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos));
        if (next == std::string_view::npos) return out;
        pos = next + 1;
    }
}

bool has_name(std::string_view list, std::string_view name) {
    for (auto n : split(list, ';'))
        if (n == name) return true;
    return false;
}

// "<key>/<date>/<region>/<service>/aws4_request"
void read_credential(std::string_view credential, signature_params& p) {
    auto parts = split(credential, '/');
    if (parts.size() != 5 || parts[0].empty() || parts[1].size() != 8 || parts[2].empty() || parts[3].empty())
        incomplete("Credential must have the form <access key>/<YYYYMMDD>/<region>/<service>/aws4_request, got '" +
                   std::string(credential) + "'.");
    if (parts[4] != "aws4_request")
        incomplete("Credential should be scoped with a valid terminator: 'aws4_request', not '" +
                   std::string(parts[4]) + "'.");
    p.access_key = parts[0];
    p.scope_date = parts[1];
    p.region = parts[2];
    p.service = parts[3];
    p.scope = std::string(credential.substr(parts[0].size() + 1));
}

void read_date(std::string_view value, signature_params& p) {
    auto ms = parse_amz_date(value);
    if (!ms)
        incomplete("Date must be in ISO-8601 'basic format'. Got '" + std::string(value) +
                   "'. See http://en.wikipedia.org/wiki/ISO_8601");
    p.amz_date = value;
    p.date_ms = *ms;
}

void require_host_signed(const signature_params& p) {
    if (!has_name(p.signed_headers, "host"))
        incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
}

signature_params from_header(const request& req, std::string_view auth) {
    signature_params p;
    auto space = auth.find(' ');
    if (auth.substr(0, space) != algorithm)
        incomplete("Authorization header requires the 'AWS4-HMAC-SHA256' algorithm. Authorization=" + std::string(auth));
    std::optional<std::string_view> credential, signed_headers, signature;
    if (space != std::string_view::npos) {
        for (auto item : split(auth.substr(space + 1), ',')) {
            item = trim(item);
            auto eq = item.find('=');
            auto key = item.substr(0, eq);
            auto value = eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1);
            if (key == "Credential") credential = value;
            else if (key == "SignedHeaders") signed_headers = value;
            else if (key == "Signature") signature = value;
        }
    }
    std::string missing;
    if (!credential) missing += "Authorization header requires 'Credential' parameter. ";
    if (!signature) missing += "Authorization header requires 'Signature' parameter. ";
    if (!signed_headers) missing += "Authorization header requires 'SignedHeaders' parameter. ";
    if (!missing.empty()) incomplete(missing + "Authorization=" + std::string(auth));
    read_credential(*credential, p);
    p.signed_headers = *signed_headers;
    p.signature = *signature;
    require_host_signed(p);
    auto amz_date = req.header("x-amz-date");
    auto date_name = amz_date ? "x-amz-date" : "date";
    auto date = amz_date ? amz_date : req.header("date");
    if (!date)
        incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                   "Authorization=" + std::string(auth));
    read_date(trim(*date), p);
    if (!has_name(p.signed_headers, date_name))
        incomplete(std::string("'") + date_name + "' must be a 'SignedHeader' in the AWS Authorization.");
    if (auto token = req.header("x-amz-security-token")) p.security_token = std::string(*token);
    return p;
}

std::optional<std::string> query_param(const std::vector<std::pair<std::string, std::string>>& q,
                                       std::string_view name) {
    for (const auto& [k, v] : q)
        if (k == name) return v;
    return std::nullopt;
}

void read_expires(const std::string& value, signature_params& p) {
    bool digits = !value.empty() && value.size() <= 9;
    for (char c : value) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    if (!digits) incomplete("X-Amz-Expires should be a number of seconds, got '" + value + "'.");
    p.expires_s = std::stoll(value);
    if (*p.expires_s > max_expires_s)
        incomplete("X-Amz-Expires must be less than a week (in seconds) that is 604800");
}

signature_params from_query(const request& req) {
    auto q = split_query(req.query);
    auto algo = query_param(q, "X-Amz-Algorithm");
    auto credential = query_param(q, "X-Amz-Credential");
    auto signature = query_param(q, "X-Amz-Signature");
    auto date = query_param(q, "X-Amz-Date");
    auto signed_headers = query_param(q, "X-Amz-SignedHeaders");
    if (!algo || !credential || !signature || !date || !signed_headers)
        incomplete("AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', "
                   "'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.");
    if (*algo != algorithm) incomplete("X-Amz-Algorithm only supports 'AWS4-HMAC-SHA256'");
    signature_params p;
    p.presigned = true;
    read_credential(*credential, p);
    p.signed_headers = *signed_headers;
    p.signature = *signature;
    require_host_signed(p);
    read_date(*date, p);
    if (auto expires = query_param(q, "X-Amz-Expires")) read_expires(*expires, p);
    p.security_token = query_param(q, "X-Amz-Security-Token");
    if (!p.security_token)
        if (auto token = req.header("x-amz-security-token")) p.security_token = std::string(*token);
    return p;
}

bool is_presigned(const request& req) {
    for (const auto& [k, v] : split_query(req.query))
        if (k == "X-Amz-Algorithm" || k == "X-Amz-Credential" || k == "X-Amz-Signature") return true;
    return false;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

signature_params read_signature_params(const request& req) {
    auto auth = req.header("authorization");
    bool presigned = is_presigned(req);
    if (!auth && !presigned) throw api_error(error_code::missing_authentication_token, "Missing Authentication Token");
    if (auth && presigned)
        incomplete("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the "
                   "Authorization header should be specified");
    return auth ? from_header(req, trim(*auth)) : from_query(req);
}

std::optional<int64_t> parse_amz_date(std::string_view s) {
    if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
    auto num = [&](size_t pos, size_t len) -> int {
        int v = 0;
        for (size_t i = pos; i < pos + len; ++i) {
            if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    int y = num(0, 4), mo = num(4, 2), d = num(6, 2), h = num(9, 2), mi = num(11, 2), se = num(13, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
        return std::nullopt;
    int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    return ((days * 24 + h) * 60 + mi) * 60000LL + se * 1000LL;
}

std::string format_amz_date(int64_t ms) {
    int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    int64_t rem = secs - days * 86400;
    // civil_from_days (H. Hinnant)
    int64_t z = days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld%02u%02uT%02lld%02lld%02lldZ", static_cast<long long>(y), m, d,
                  static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                  static_cast<long long>(rem % 60));
    return buf;
}

}  // namespace cogsync::api::auth
