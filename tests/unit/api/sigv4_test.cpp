// SigV4 verifier against the public AWS SigV4 test suite and against requests signed by botocore
// (data files under sigv4_vectors/, see its README.md).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <strings.h>

#include "api/api_error.hpp"
#include "api/auth/canonical.hpp"
#include "api/auth/signature_params.hpp"
#include "api/auth/sigv4.hpp"

using namespace cogsync::api;
using namespace cogsync::api::auth;
namespace fs = std::filesystem;

namespace {

const fs::path vectors_dir = COGSYNC_SOURCE_DIR "/tests/unit/api/sigv4_vectors";

struct vector_case {
    std::string name;
    request req;
    std::map<std::string, std::string> context;  // access_key, secret, service, time, session_token, payload
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Raw HTTP/1.1 text: request line, "Name:value" lines (a line starting with whitespace continues
// the previous value, as in the suite's get-header-value-multiline), blank line, body.
request parse_raw_request(const std::string& text) {
    request r;
    auto split = text.find("\n\n");
    std::string head = text.substr(0, split);
    r.body = split == std::string::npos ? "" : text.substr(split + 2);
    std::istringstream lines(head);
    std::string line;
    std::getline(lines, line);
    auto sp = line.find(' ');
    r.method = line.substr(0, sp);
    auto target = line.substr(sp + 1, line.rfind(" HTTP/") - sp - 1);  // may hold literal spaces
    auto q = target.find('?');
    r.path = target.substr(0, q);
    r.query = q == std::string::npos ? "" : target.substr(q + 1);
    while (std::getline(lines, line)) {
        if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
            r.headers.back().second += "\n" + line;
            continue;
        }
        auto colon = line.find(':');
        r.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
    }
    return r;
}

std::map<std::string, std::string> read_context(const fs::path& p) {
    std::map<std::string, std::string> ctx = {{"access_key", "AKIDEXAMPLE"},
                                              {"secret", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
                                              {"service", "service"},
                                              {"time", "20150830T123600Z"}};
    if (!fs::exists(p)) return ctx;
    std::istringstream in(slurp(p));
    std::string line;
    while (std::getline(in, line)) {
        auto eq = line.find(" = ");
        if (eq != std::string::npos) ctx[line.substr(0, eq)] = line.substr(eq + 3);
    }
    return ctx;
}

std::vector<vector_case> load_group(const std::string& group) {
    std::vector<vector_case> out;
    for (const auto& dir : fs::directory_iterator(vectors_dir / group)) {
        if (!dir.is_directory()) continue;
        out.push_back({group + "/" + dir.path().filename().string(), parse_raw_request(slurp(dir.path() / "request.txt")),
                       read_context(dir.path() / "context.txt")});
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.name < b.name; });
    return out;
}

sigv4_verifier verifier_for(const vector_case& v) {
    signing_key_lookup_result key{v.context.at("secret"), std::nullopt};
    if (v.context.count("session_token")) key.session_token = v.context.at("session_token");
    auto access_key = v.context.at("access_key");
    return sigv4_verifier(
        [=](std::string_view k) -> std::optional<signing_key_lookup_result> {
            if (k == access_key) return key;
            return std::nullopt;
        },
        v.context.at("service"));
}

int64_t time_of(const vector_case& v) { return *parse_amz_date(v.context.at("time")); }

// The code verify() throws, or nullopt when it accepts.
std::optional<error_code> outcome(const sigv4_verifier& ver, const request& r, int64_t now_ms) {
    try {
        ver.verify(r, now_ms);
        return std::nullopt;
    } catch (const api_error& e) {
        return e.code();
    }
}

std::vector<std::string> signed_header_names(const request& r) {
    auto p = read_signature_params(r);
    std::vector<std::string> out;
    std::istringstream in(p.signed_headers);
    std::string name;
    while (std::getline(in, name, ';')) out.push_back(name);
    return out;
}

void append_to_header(request& r, const std::string& name) {
    for (auto& [k, v] : r.headers) {
        std::string lower = k;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == name) {
            v += "x";
            return;
        }
    }
}

// The properties every vector must have: accepted at its time, rejected when a signed header,
// the body or the query changes, and rejected as RequestExpired outside its validity window.
void check_vector(const vector_case& v) {
    INFO(v.name);
    auto ver = verifier_for(v);
    const auto t = time_of(v);
    REQUIRE(outcome(ver, v.req, t) == std::nullopt);
    CHECK(ver.verify(v.req, t).access_key == v.context.at("access_key"));

    for (const auto& name : signed_header_names(v.req)) {
        if (name == "x-amz-date" || name == "x-amz-security-token") continue;  // own checks below
        INFO("tampered header " << name);
        auto r = v.req;
        append_to_header(r, name);
        CHECK(outcome(ver, r, t) == error_code::invalid_signature);
    }
    auto body = v.req;
    body.body += "x";
    const bool unsigned_payload = v.context.count("payload") && v.context.at("payload") == "UNSIGNED-PAYLOAD";
    CHECK(outcome(ver, body, t) == (unsigned_payload ? std::nullopt : std::optional(error_code::invalid_signature)));
    auto query = v.req;
    query.query += query.query.empty() ? "extra=1" : "&extra=1";
    CHECK(outcome(ver, query, t) == error_code::invalid_signature);

    auto p = read_signature_params(v.req);
    const int64_t minute = 60'000;
    if (p.expires_s) {
        CHECK(outcome(ver, v.req, t + *p.expires_s * 1000) == std::nullopt);
        CHECK(outcome(ver, v.req, t + *p.expires_s * 1000 + 1000) == error_code::request_expired);
    } else {
        CHECK(outcome(ver, v.req, t + 15 * minute) == std::nullopt);
        CHECK(outcome(ver, v.req, t + 16 * minute) == error_code::request_expired);
    }
    CHECK(outcome(ver, v.req, t - 16 * minute) == error_code::request_expired);
}

}  // namespace

TEST_CASE("AWS SigV4 test suite, Authorization header form", "[sigv4]") {
    auto cases = load_group("suite");
    REQUIRE(cases.size() >= 30);
    for (const auto& v : cases) check_vector(v);
}

TEST_CASE("AWS SigV4 test suite, 2015 edition (body hashed without x-amz-content-sha256)", "[sigv4]") {
    auto cases = load_group("suite-2015");
    REQUIRE(cases.size() == 3);
    for (const auto& v : cases) check_vector(v);
}

TEST_CASE("AWS SigV4 test suite, presigned query form", "[sigv4]") {
    auto cases = load_group("suite-presigned");
    REQUIRE(cases.size() >= 6);
    for (const auto& v : cases) check_vector(v);
}

TEST_CASE("requests signed by botocore for cognito-sync", "[sigv4]") {
    auto cases = load_group("botocore");
    REQUIRE(cases.size() >= 6);
    for (const auto& v : cases) check_vector(v);
}

TEST_CASE("the canonical URI double-encodes the raw path and normalises segments", "[sigv4]") {
    CHECK(canonical_uri("/identitypools/us-east-1%3Aabc/identities/us-east-1%3Adef/datasets/ds/records") ==
          "/identitypools/us-east-1%253Aabc/identities/us-east-1%253Adef/datasets/ds/records");
    CHECK(canonical_uri("") == "/");
    CHECK(canonical_uri("/a/./b/../c//d/") == "/a/c/d/");
    CHECK(canonical_uri("/a/b/../../..") == "/");
    CHECK(canonical_uri("/a b+c") == "/a%20b%2Bc");
    CHECK(canonical_query("b=2&a=%2f&a=1&c") == "a=%2F&a=1&b=2&c=");
    CHECK(canonical_query("X-Amz-Signature=ab&q=a%20b", "X-Amz-Signature") == "q=a%20b");
}

namespace {

vector_case botocore_case(const std::string& name) {
    for (auto& v : load_group("botocore"))
        if (v.name == "botocore/" + name) return v;
    FAIL("no vector " << name);
    return {};
}

error_code failure(const sigv4_verifier& ver, const request& r, int64_t t, std::string* message = nullptr) {
    try {
        ver.verify(r, t);
    } catch (const api_error& e) {
        if (message) *message = e.what();
        return e.code();
    }
    FAIL("verify accepted the request");
    return error_code::internal_error;
}

void set_header(request& r, const std::string& name, const std::string& value) {
    for (auto& [k, v] : r.headers)
        if (strcasecmp(k.c_str(), name.c_str()) == 0) v = value;
}

void drop_header(request& r, const std::string& name) {
    std::erase_if(r.headers, [&](auto& h) { return strcasecmp(h.first.c_str(), name.c_str()) == 0; });
}

}  // namespace

TEST_CASE("each failure maps to the AWS error the SDKs expect (PROTOCOL.md 4.5)", "[sigv4]") {
    auto v = botocore_case("list-records");
    auto ver = verifier_for(v);
    const auto t = time_of(v);
    std::string message;

    SECTION("no credentials at all") {
        auto r = v.req;
        drop_header(r, "authorization");
        CHECK(failure(ver, r, t, &message) == error_code::missing_authentication_token);
        CHECK(message == "Missing Authentication Token");
    }
    SECTION("Authorization without Signature, or with another algorithm") {
        auto r = v.req;
        auto auth = std::string(*r.header("authorization"));
        set_header(r, "authorization", auth.substr(0, auth.find(", Signature=")));
        CHECK(failure(ver, r, t) == error_code::incomplete_signature);
        set_header(r, "authorization", "AWS4-HMAC-SHA1" + auth.substr(auth.find(' ')));
        CHECK(failure(ver, r, t) == error_code::incomplete_signature);
    }
    SECTION("no X-Amz-Date and no Date") {
        auto r = v.req;
        drop_header(r, "x-amz-date");
        CHECK(failure(ver, r, t) == error_code::incomplete_signature);
    }
    SECTION("both an Authorization header and a presigned query") {
        auto r = v.req;
        r.query += "&X-Amz-Algorithm=AWS4-HMAC-SHA256";
        CHECK(failure(ver, r, t) == error_code::incomplete_signature);
    }
    SECTION("unknown access key") {
        sigv4_verifier nobody([](std::string_view) { return std::nullopt; });
        CHECK(failure(nobody, v.req, t, &message) == error_code::unrecognized_client);
        CHECK(message == "The security token included in the request is invalid.");
    }
    SECTION("wrong secret") {
        sigv4_verifier wrong([](std::string_view) { return signing_key_lookup_result{"not-the-secret", {}}; });
        CHECK(failure(wrong, v.req, t, &message) == error_code::invalid_signature);
        CHECK(message.starts_with("The request signature we calculated does not match"));
    }
    SECTION("a signature for another service") {
        sigv4_verifier other([](std::string_view) { return signing_key_lookup_result{"x", {}}; }, "cognito-identity");
        CHECK(failure(other, v.req, t) == error_code::invalid_signature);
    }
    SECTION("16 minutes late, with AWS's wording") {
        CHECK(failure(ver, v.req, t + 16 * 60'000, &message) == error_code::request_expired);
        CHECK(message == "Signature expired: 20240301T120000Z is now earlier than 20240301T120100Z "
                         "(20240301T121600Z - 15 min.)");
    }
    SECTION("UNSIGNED-PAYLOAD is refused on the Authorization form") {
        auto r = v.req;
        r.headers.emplace_back("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD");
        CHECK(failure(ver, r, t) == error_code::invalid_signature);
    }
}

TEST_CASE("session tokens must be present and equal when the key has one", "[sigv4]") {
    auto v = botocore_case("delete-dataset-session");
    auto ver = verifier_for(v);
    const auto t = time_of(v);
    auto missing = v.req;
    drop_header(missing, "x-amz-security-token");
    CHECK(failure(ver, missing, t) == error_code::unrecognized_client);
    auto different = v.req;
    set_header(different, "x-amz-security-token", "another-token");
    CHECK(failure(ver, different, t) == error_code::unrecognized_client);

    auto no_token_key = v;
    no_token_key.context.erase("session_token");
    CHECK(failure(verifier_for(no_token_key), v.req, t) == error_code::unrecognized_client);
}

TEST_CASE("presigned URLs: X-Amz-Expires is bounded and every X-Amz-* parameter is required", "[sigv4]") {
    auto v = botocore_case("list-records-presigned");
    auto ver = verifier_for(v);
    const auto t = time_of(v);
    auto week = v.req;
    week.query.replace(week.query.find("X-Amz-Expires=300"), 17, "X-Amz-Expires=604801");
    CHECK(failure(ver, week, t) == error_code::incomplete_signature);
    auto unsigned_body = v.req;
    unsigned_body.body = "anything";
    unsigned_body.headers.emplace_back("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD");
    CHECK(failure(ver, unsigned_body, t) == error_code::invalid_signature);  // host-only signature over the empty-body hash
    auto missing = v.req;
    missing.query.erase(missing.query.find("&X-Amz-SignedHeaders"));
    CHECK(failure(ver, missing, t) == error_code::incomplete_signature);
}

TEST_CASE("a POST with X-HTTP-Method-Override: DELETE is canonicalised as the DELETE Unity signed", "[sigv4]") {
    request post;
    post.method = "POST";
    post.path = "/identitypools/us-east-1%3Ap/identities/us-east-1%3Ai/datasets/d";
    post.headers = {{"Host", "sync.example"}, {"X-HTTP-Method-Override", "DELETE"}};
    post.body = "{}";
    auto del = post;
    del.method = "DELETE";
    const auto creq = canonical_request(post, "host;x-http-method-override", "hash", false);
    CHECK(creq.starts_with("DELETE\n/identitypools/us-east-1%253Ap/"));
    CHECK(creq == canonical_request(del, "host;x-http-method-override", "hash", false));
}
