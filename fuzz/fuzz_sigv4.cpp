// The SigV4 verifier (api/auth/sigv4.hpp) on arbitrary requests. Input:
//   <method>\n<raw path>\n<raw query>\n<Name: value>\n...\n\n<body>
// (header lines up to the first empty line; the rest is the body). The lookup knows two keys,
// the AWS test suite's AKIDEXAMPLE and a temporary ASIA key that requires a session token; the
// clock is fixed at 2024-01-01T00:00:00Z so committed seeds signed for then verify. Only api_error
// may escape. Property: a request that verifies names a key the lookup knows.
#include <cstdint>
#include <string>

#include "api/api_error.hpp"
#include "api/auth/sigv4.hpp"
#include "api/request.hpp"
#include "fuzz/fuzz_input.hpp"

namespace {

using namespace cogsync;

constexpr int64_t now_ms = 1'704'067'200'000;  // 20240101T000000Z

std::optional<api::auth::signing_key_lookup_result> lookup(std::string_view access_key) {
    if (access_key == "AKIDEXAMPLE") return api::auth::signing_key_lookup_result{"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", {}};
    if (access_key == "ASIAEXAMPLE")
        return api::auth::signing_key_lookup_result{"tempsecretEXAMPLEKEY", std::string("FQoGZXIvYXdzEXAMPLETOKEN")};
    return std::nullopt;
}

api::request to_request(const uint8_t* data, std::size_t size) {
    auto f = fuzz::split_fields(data, size, 4);
    api::request req{std::string(f[0]), std::string(f[1]), std::string(f[2]), {}, {}, "fuzz"};
    std::string_view rest = f[3];
    while (!rest.empty()) {
        auto nl = rest.find('\n');
        auto line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
        if (line.empty()) break;
        auto colon = line.find(':');
        auto value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        req.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    req.body = std::string(rest);
    return req;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    static const api::auth::sigv4_verifier verifier(lookup);
    auto req = to_request(data, size);
    try {
        auto who = verifier.verify(req, now_ms);
        if (!lookup(who.access_key)) fuzz::property_failed();
    } catch (const api::api_error&) {
    }
    try {
        api::auth::canonical_request(req, "host;x-amz-date", "UNSIGNED-PAYLOAD", false);
    } catch (const api::api_error&) {
    }
    return 0;
}
