#pragma once
// The framing the fuzz targets share: the input is cut at '\n' into at most `max_fields` fields,
// the last field keeping the rest (newlines included), so one seed file is a readable request.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace cogsync::fuzz {

inline std::vector<std::string_view> split_fields(const uint8_t* data, std::size_t size, std::size_t max_fields) {
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    std::vector<std::string_view> out;
    while (out.size() + 1 < max_fields) {
        auto nl = rest.find('\n');
        if (nl == std::string_view::npos) break;
        out.push_back(rest.substr(0, nl));
        rest.remove_prefix(nl + 1);
    }
    out.push_back(rest);
    out.resize(max_fields);
    return out;
}

// A property the target checks failed: abort so libFuzzer records the input as a crash.
[[noreturn]] inline void property_failed() { __builtin_trap(); }

}  // namespace cogsync::fuzz
