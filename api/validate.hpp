#pragma once
// Constraints of the model's shapes (service-2.json; PROTOCOL.md 6.2). Patterns are matched in
// full, as Coral does. Lengths count Unicode code points, as Smithy does. Each check throws
// InvalidParameterException naming the member.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cogsync::api {

// Code points of valid UTF-8 (api/utf8.hpp: no overlong forms, no surrogates); nullopt if the
// bytes are not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view s);
void check_utf8(std::string_view value, std::string_view member);

void check_pool_id(std::string_view value, std::string_view member = "IdentityPoolId");
void check_identity_id(std::string_view value, std::string_view member = "IdentityId");
void check_dataset_name(std::string_view value, std::string_view member = "DatasetName");
void check_length(std::string_view value, std::string_view member, std::size_t min, std::size_t max);

// Throws InvalidParameterException: "1 validation error detected: Value at '<member>' failed to
// satisfy constraint: <why>", as AWS words it.
[[noreturn]] void invalid(std::string_view member, std::string_view why);
// Java's \w: ASCII letters, digits and '_'.
bool is_word(char c);

// Decimal digits only, at most 19 of them, fitting in int64 (lastSyncCount, maxResults).
int64_t parse_count(std::string_view text, std::string_view member);

}  // namespace cogsync::api
