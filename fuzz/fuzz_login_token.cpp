// OpenID Connect logins (api/identity/tokens/) on arbitrary input: "<JWKS>\n<token>". Nothing may
// throw or crash, whatever the keys and the token; properties: a verified token has a subject, and
// a verified token with one signature character changed no longer verifies.
#include <cstdint>
#include <string>

#include "api/identity/tokens/verify_login_token.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    using namespace cogsync::api::identity;
    auto f = cogsync::fuzz::split_fields(data, size, 2);
    auto made = make_login_provider("fuzz.example.com", "https://fuzz.example.com", {"app"}, f[0]);
    const auto* provider = std::get_if<login_provider>(&made);
    if (!provider) return 0;
    auto verdict = verify_login_token(f[1], *provider, 1'750'000'000);
    if (!verdict.ok()) return 0;
    if (verdict.subject.empty()) cogsync::fuzz::property_failed();
    std::string forged(f[1]);
    char& last = forged[forged.size() - 2];
    last = last == 'A' ? 'Q' : 'A';
    if (verify_login_token(forged, *provider, 1'750'000'000).ok()) cogsync::fuzz::property_failed();
    return 0;
}
