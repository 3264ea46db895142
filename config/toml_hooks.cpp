#include "config/toml_hooks.hpp"

#include "config/toml_ini.hpp"

namespace cogsync::config {

namespace {

// A URL with its password and its query as "****": webhook URLs often carry a token there.
std::string masked_url(const std::string& url) {
    auto scheme = url.find("://");
    if (scheme == std::string::npos) return url;
    auto authority = scheme + 3;
    auto end = url.find_first_of("/?#", authority);
    auto at = url.rfind('@', end == std::string::npos ? url.size() : end);
    std::string out = url;
    if (at != std::string::npos && at >= authority) {
        auto colon = out.find(':', authority);
        if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "****");
    }
    auto query = out.find('?', authority);
    return query == std::string::npos ? out : out.substr(0, query) + "?****";
}

std::string masked_value(const std::string& name, const std::string& value) {
    if (name == "access_key" || name == "secret_key") return "****";
    if (name == "url" || name == "endpoint") return masked_url(value);
    return value;
}

std::string filter_toml(const name_filter& f) {
    if (f.all) return "\"*\"";
    std::string out = "[";
    for (const auto& n : f.names) out += (out.size() > 1 ? ", " : "") + toml_string(n);
    return out + "]";
}

std::string table(const hook_section& h) {
    bool trigger = h.role == hook_role::trigger;
    std::string out = "\n[" + std::string(trigger ? "trigger." : "sink.") + h.name + "]\ntype = " + toml_string(h.type) + "\n";
    out += std::string(trigger ? "functions" : h.role == hook_role::push_sink ? "platforms" : "streams") + " = " +
           filter_toml(h.serves) + "\n";
    out += "timeout_ms = " + std::to_string(h.timeout_ms) + "\n";
    for (const auto& [name, value] : h.settings) out += name + " = " + toml_string(masked_value(name, value)) + "\n";
    return out;
}

}  // namespace

std::optional<hooks_config> hooks_from_toml(const toml::table& file, const std::string& path,
                                            std::vector<file_problem>& problems) {
    const auto* sinks = file.get("sink");
    const auto* triggers = file.get("trigger");
    if (!sinks && !triggers) return std::nullopt;
    toml_ini ini(path);
    size_t before = problems.size();
    if (sinks) ini.add_sections(*sinks, "sink", "sink.", "[sink.NAME]", problems);
    if (triggers) ini.add_sections(*triggers, "trigger", "trigger.", "[trigger.NAME]", problems);
    if (problems.size() != before) return std::nullopt;
    try {
        return parse_hooks(ini.text(), path);
    } catch (const std::runtime_error& e) {
        problems.push_back(ini.problem_of(e));
        return std::nullopt;
    }
}

std::string masked_hooks_toml(const hooks_config& hooks) {
    std::string out;
    for (const auto& h : hooks.sinks) out += table(h);
    for (const auto& h : hooks.triggers) out += table(h);
    return out;
}

}  // namespace cogsync::config
