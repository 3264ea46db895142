#pragma once
// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates (U+D800..U+DFFF), nothing above
// U+10FFFF. Request strings are checked with it, and every string a response writes is made
// valid with it, so no body ever carries bytes a client's JSON parser refuses.
#include <cstddef>
#include <string>
#include <string_view>

namespace cogsync::api {

// Bytes of the well-formed sequence starting at s[i], or 0 if none starts there.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

bool is_valid_utf8(std::string_view s);

// `s` with every byte that starts no well-formed sequence replaced by U+FFFD.
std::string to_valid_utf8(std::string_view s);

}  // namespace cogsync::api
