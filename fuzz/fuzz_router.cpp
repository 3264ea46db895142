// Routing and percent-decoding (api/router.hpp, api/percent.hpp) on arbitrary input.
// Input: "<method>\n<raw path>\n<raw query>". Only api_error may escape match_route; the decoders
// return nullopt instead of throwing. Properties: nothing decoded contains a NUL (PROTOCOL.md 1.2)
// and a match fills one parameter per {Name} of its template.
#include <algorithm>
#include <cstdint>
#include <string>

#include "api/api_error.hpp"
#include "api/percent.hpp"
#include "api/router.hpp"
#include "fuzz/fuzz_input.hpp"

namespace {

using namespace cogsync;

void check_no_nul(std::string_view s) {
    if (s.find('\0') != std::string_view::npos) fuzz::property_failed();
}

void fuzz_match(std::string_view method, std::string_view path) {
    try {
        auto m = api::match_route(method, path);
        if (!m.target) fuzz::property_failed();
        std::string_view tmpl(m.target->path);
        auto placeholders = static_cast<std::size_t>(std::count(tmpl.begin(), tmpl.end(), '{'));
        if (m.params.size() != placeholders) fuzz::property_failed();
        for (const auto& [name, value] : m.params) check_no_nul(value);
    } catch (const api::api_error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    auto f = fuzz::split_fields(data, size, 3);
    fuzz_match(f[0], f[1]);
    for (bool plus_is_space : {false, true})
        if (auto d = api::percent_decode(f[1], plus_is_space)) check_no_nul(*d);
    if (auto q = api::parse_query(f[2]))
        for (const auto& [name, value] : *q) {
            check_no_nul(name);
            check_no_nul(value);
        }
    return 0;
}
