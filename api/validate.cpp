#include "api/validate.hpp"

#include <string>

#include "api/api_error.hpp"
#include "api/utf8.hpp"

namespace cogsync::api {

void invalid(std::string_view member, std::string_view why) {
    throw api_error(error_code::invalid_parameter, std::string("1 validation error detected: Value at '") +
                                                       std::string(member) + "' failed to satisfy constraint: " +
                                                       std::string(why));
}

bool is_word(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

namespace {

// [\w-]+:[0-9a-f-]+
bool matches_namespaced_guid(std::string_view v) {
    auto colon = v.find(':');
    if (colon == 0 || colon == std::string_view::npos || colon + 1 == v.size()) return false;
    for (char c : v.substr(0, colon))
        if (!is_word(c) && c != '-') return false;
    for (char c : v.substr(colon + 1))
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-')) return false;
    return true;
}

}  // namespace

std::optional<std::size_t> utf8_length(std::string_view s) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < s.size(); ++count) {
        auto n = utf8_sequence_length(s, i);
        if (n == 0) return std::nullopt;
        i += n;
    }
    return count;
}

void check_utf8(std::string_view value, std::string_view member) {
    if (!is_valid_utf8(value)) invalid(member, "Member must be valid UTF-8");
}

void check_length(std::string_view value, std::string_view member, std::size_t min, std::size_t max) {
    auto len = utf8_length(value);
    if (!len) invalid(member, "Member must be valid UTF-8");
    if (*len < min) invalid(member, "Member must have length greater than or equal to " + std::to_string(min));
    if (*len > max) invalid(member, "Member must have length less than or equal to " + std::to_string(max));
}

void check_pool_id(std::string_view value, std::string_view member) {
    check_length(value, member, 1, 55);
    if (!matches_namespaced_guid(value)) invalid(member, "Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+");
}

void check_identity_id(std::string_view value, std::string_view member) { check_pool_id(value, member); }

void check_dataset_name(std::string_view value, std::string_view member) {
    check_length(value, member, 1, 128);
    for (char c : value)
        if (!is_word(c) && c != '.' && c != ':' && c != '-')
            invalid(member, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.:-]+");
}

int64_t parse_count(std::string_view text, std::string_view member) {
    if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string_view::npos)
        invalid(member, "Member must be a non-negative integer");
    uint64_t v = std::stoull(std::string(text));
    if (v > static_cast<uint64_t>(INT64_MAX)) invalid(member, "Member must be a non-negative integer");
    return static_cast<int64_t>(v);
}

}  // namespace cogsync::api
