#include "api/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace cogsync::api {
namespace {

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Bytes before the first one that is not ASCII, eight at a time.
std::size_t ascii_prefix(std::string_view s) {
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, s.data() + i, 8);
        if (word & 0x8080808080808080ull) break;
    }
    while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
    return i;
}

}  // namespace

// The table of RFC 3629 section 4: the second byte's range depends on the first.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    if (i >= s.size()) return 0;
    auto at = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
    const unsigned char b0 = at(0), b1 = at(1);
    if (b0 < 0x80) return 1;
    if (b0 < 0xC2) return 0;  // a continuation byte, or an overlong two-byte form
    if (b0 < 0xE0) return continuation(b1) ? 2 : 0;
    if (b0 < 0xF0) {
        const bool second_ok = b0 == 0xE0 ? (b1 >= 0xA0 && b1 <= 0xBF)    // overlong below U+0800
                               : b0 == 0xED ? (b1 >= 0x80 && b1 <= 0x9F)  // surrogates
                                            : continuation(b1);
        return second_ok && continuation(at(2)) ? 3 : 0;
    }
    if (b0 < 0xF5) {
        const bool second_ok = b0 == 0xF0 ? (b1 >= 0x90 && b1 <= 0xBF)    // overlong below U+10000
                               : b0 == 0xF4 ? (b1 >= 0x80 && b1 <= 0x8F)  // above U+10FFFF
                                            : continuation(b1);
        return second_ok && continuation(at(2)) && continuation(at(3)) ? 4 : 0;
    }
    return 0;
}

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = ascii_prefix(s); i < s.size();) {
        auto n = utf8_sequence_length(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string to_valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 8);
    for (std::size_t i = 0; i < s.size();) {
        auto n = utf8_sequence_length(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(s.data() + i, n);
            i += n;
        }
    }
    return out;
}

}  // namespace cogsync::api
