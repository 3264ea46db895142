#pragma once
// Percent-decoding of path segments and query strings (PROTOCOL.md 1.2): split first, then
// decode each piece. Invalid escapes and NUL bytes are refused.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cogsync::api {

// nullopt on a malformed escape ("%zz", truncated "%4") or a decoded NUL.
// plus_is_space: '+' decodes to ' ' (query strings), else stays '+' (paths).
std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space = false);

using query_list = std::vector<std::pair<std::string, std::string>>;
// Splits "a=1&b=2" and decodes names and values; nullopt if any piece is malformed.
std::optional<query_list> parse_query(std::string_view raw);

}  // namespace cogsync::api
