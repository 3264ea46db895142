#include "api/identity/roles_shapes.hpp"

#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include "api/api_error.hpp"
#include "api/identity/shapes.hpp"
#include "api/validate.hpp"

namespace cogsync::api::identity {
namespace {

constexpr std::size_t max_rules = 25;

std::string_view text(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

[[noreturn]] void wrong_type(const std::string& member, const char* what) {
    throw api_error(error_code::serialization, "Member '" + member + "' must be " + what);
}

const rapidjson::Value& object_member(const rapidjson::Value& in, const char* name, const std::string& path) {
    const auto* v = find_member(in, name);
    if (!v) invalid(path, "Member must not be null");
    if (!v->IsObject()) wrong_type(path, "an object");
    return *v;
}

std::string_view string_member(const rapidjson::Value& in, const char* name, const std::string& path) {
    const auto* v = find_member(in, name);
    if (!v) invalid(path, "Member must not be null");
    if (!v->IsString()) wrong_type(path, "a string");
    return text(*v);
}

void check_enum(std::string_view value, const std::string& path, std::initializer_list<std::string_view> allowed) {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
    std::string set;
    for (auto a : allowed) set += (set.empty() ? "" : ", ") + std::string(a);
    invalid(path, "Member must satisfy enum value set: [" + set + "]");
}

void check_arn(const rapidjson::Value& v, const std::string& path) {
    if (!v.IsString()) wrong_type(path, "a string");
    check_length(text(v), path, 20, 2048);
}

void check_roles(const rapidjson::Value& roles) {
    if (roles.MemberCount() > 2) invalid("roles", "Member must have length less than or equal to 2");
    for (const auto& m : roles.GetObject()) {
        if (text(m.name) != "authenticated" && text(m.name) != "unauthenticated")
            invalid("roles", "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: (un)?authenticated]");
        check_arn(m.value, "roles." + std::string(text(m.name)));
    }
}

void check_rule(const rapidjson::Value& rule, const std::string& path) {
    if (!rule.IsObject()) wrong_type(path, "an object");
    auto claim = string_member(rule, "Claim", path + ".claim");
    check_length(claim, path + ".claim", 1, 64);
    if (std::any_of(claim.begin(), claim.end(), [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; }))
        invalid(path + ".claim", "Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+");
    check_enum(string_member(rule, "MatchType", path + ".matchType"), path + ".matchType",
               {"Equals", "Contains", "StartsWith", "NotEqual"});
    check_length(string_member(rule, "Value", path + ".value"), path + ".value", 1, 128);
    check_length(string_member(rule, "RoleARN", path + ".roleARN"), path + ".roleARN", 20, 2048);
}

void check_mapping(const rapidjson::Value& mapping, const std::string& path) {
    if (!mapping.IsObject()) wrong_type(path, "an object");
    auto type = string_member(mapping, "Type", path + ".type");
    check_enum(type, path + ".type", {"Token", "Rules"});
    check_enum(string_member(mapping, "AmbiguousRoleResolution", path + ".ambiguousRoleResolution"),
               path + ".ambiguousRoleResolution", {"AuthenticatedRole", "Deny"});
    const auto* config = find_member(mapping, "RulesConfiguration");
    if (!config) {
        if (type == "Rules") invalid(path + ".rulesConfiguration", "Member must not be null when Type is Rules");
        return;
    }
    if (!config->IsObject()) wrong_type(path + ".rulesConfiguration", "an object");
    const auto* rules = find_member(*config, "Rules");
    if (!rules) invalid(path + ".rulesConfiguration.rules", "Member must not be null");
    if (!rules->IsArray()) wrong_type(path + ".rulesConfiguration.rules", "a list");
    if (rules->Empty()) invalid(path + ".rulesConfiguration.rules", "Member must have length greater than or equal to 1");
    if (rules->Size() > max_rules)
        invalid(path + ".rulesConfiguration.rules", "Member must have length less than or equal to " + std::to_string(max_rules));
    for (rapidjson::SizeType i = 0; i < rules->Size(); ++i)
        check_rule((*rules)[i], path + ".rulesConfiguration.rules." + std::to_string(i + 1) + ".member");
}

void check_mappings(const rapidjson::Value& mappings) {
    if (mappings.MemberCount() > 10) invalid("roleMappings", "Member must have length less than or equal to 10");
    for (const auto& m : mappings.GetObject()) {
        check_length(text(m.name), "roleMappings", 1, 128);
        check_mapping(m.value, "roleMappings." + std::string(text(m.name)));
    }
}

}  // namespace

std::string roles_from_input(const rapidjson::Value& in) {
    const auto& roles = object_member(in, "Roles", "roles");
    check_roles(roles);
    const auto* mappings = find_member(in, "RoleMappings");
    if (mappings && !mappings->IsObject()) wrong_type("roleMappings", "an object");
    if (mappings) check_mappings(*mappings);
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    w.Key("Roles");
    roles.Accept(w);
    if (mappings && mappings->MemberCount()) {
        w.Key("RoleMappings");
        mappings->Accept(w);
    }
    w.EndObject();
    return {buf.GetString(), buf.GetSize()};
}

void write_roles_members(json_writer& w, const std::string& roles) {
    rapidjson::Document d;
    if (roles.empty() || d.Parse(roles.c_str()).HasParseError() || !d.IsObject()) {
        w.Key("Roles");
        w.StartObject();
        w.EndObject();
        return;
    }
    for (const auto& m : d.GetObject()) {
        w.Key(m.name.GetString(), m.name.GetStringLength());
        m.value.Accept(w);
    }
}

}  // namespace cogsync::api::identity
