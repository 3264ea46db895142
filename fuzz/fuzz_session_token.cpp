// Tokens (api/token_codec.hpp, api/base64url.hpp) on arbitrary input: "<binding>\n<token>".
// Nothing may throw. Properties: base64url has exactly one encoding per byte string
// (encode(decode(x)) == x whenever decode succeeds, decode(encode(b)) == b), a forged token does
// not open, and seal/unseal and issue_session/open_session round-trip.
#include <cstdint>
#include <string>

#include "api/base64url.hpp"
#include "api/token_codec.hpp"
#include "fuzz/fuzz_input.hpp"

namespace {

using namespace cogsync;

const api::token_codec& codec() {
    static const api::token_codec c(std::string(32, 'k'));
    return c;
}

void check_base64url(std::string_view text, std::string_view bytes) {
    if (auto decoded = api::base64url_decode(text))
        if (api::base64url_encode(*decoded) != text) fuzz::property_failed();
    if (api::base64url_decode(api::base64url_encode(bytes)) != bytes) fuzz::property_failed();
}

void check_tokens(std::string_view binding, std::string_view token) {
    const auto& c = codec();
    auto ticket = c.open_session(token, binding);
    auto payload = c.unseal(token, binding);
    if (ticket && !payload) fuzz::property_failed();
    // Our key is fixed and secret to the fuzzer; whatever opens must be what we would seal.
    if (payload && c.seal(*payload, binding) != token) fuzz::property_failed();

    if (c.unseal(c.seal(token, binding), binding) != token) fuzz::property_failed();
    api::session_ticket issued;
    auto fresh = c.issue_session(binding, 1'700'000'000'000, &issued);
    auto opened = c.open_session(fresh, binding);
    if (!opened || opened->id != issued.id || opened->expires_ms != issued.expires_ms) fuzz::property_failed();
    if (binding != token && c.open_session(fresh, token)) fuzz::property_failed();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    auto f = fuzz::split_fields(data, size, 2);
    std::string_view whole(reinterpret_cast<const char*>(data), size);
    check_base64url(f[1], whole);
    check_tokens(f[0], f[1]);
    return 0;
}
