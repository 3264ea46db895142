#include "config/config_file.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <optional>
#include <toml++/toml.h>

#include "config/toml_credentials.hpp"
#include "config/toml_hooks.hpp"
#include "config/toml_oidc_providers.hpp"
#include "config/toml_pools.hpp"

namespace cogsync::config {

namespace {

// The options a file may set: every long option but --help and --config itself.
CLI::Option* settable_option(CLI::App& options, const std::string& key) {
    if (key.empty() || key.front() == '-' || key == "help" || key == "config") return nullptr;
    return options.get_option_no_throw("--" + key);
}

// A TOML scalar as the text a flag would carry; nullopt for tables, arrays and dates.
std::optional<std::string> flag_text(const toml::node& node) {
    if (auto s = node.value<std::string>(); s && node.is_string()) return *s;
    if (node.is_integer()) return std::to_string(*node.value<int64_t>());
    if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
    if (node.is_floating_point()) {
        char buf[64];
        auto end = std::to_chars(buf, buf + sizeof buf, *node.value<double>()).ptr;
        return std::string(buf, end);
    }
    return std::nullopt;
}

// CLI11 names the flag ("--io-threads: Value 0 not in range"); the problem names the key already.
std::string without_flag_name(std::string message, const std::string& key) {
    std::string prefix = "--" + key + ": ";
    return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message;
}

}  // namespace

std::string describe(const file_problem& p) {
    std::string out = p.file + ":";
    if (p.line > 0) out += std::to_string(p.line) + ":";
    if (!p.key.empty()) out += " key '" + p.key + "':";
    return out + " " + p.message;
}

std::vector<file_problem> apply_config_file(const std::string& path, CLI::App& options, settings& tables) {
    tables.config_file = path;
    toml::table table;
    try {
        table = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        return {{path, static_cast<int64_t>(e.source().begin.line), "", std::string(e.description())}};
    }
    std::vector<file_problem> problems;
    for (auto& [key, node] : table) {
        std::string name(key.str());
        auto line = static_cast<int64_t>(node.source().begin.line);
        if (name == "credentials") {
            tables.credentials = credentials_from_toml(node, path, problems);
            continue;
        }
        if (name == "pools") {
            tables.pools = pools_from_toml(node, path, problems);
            continue;
        }
        if (name == "oidc_providers") {
            tables.oidc_providers = oidc_providers_from_toml(node, path, problems);
            continue;
        }
        if (name == "sink" || name == "trigger") continue;  // below, together
        auto* option = settable_option(options, name);
        auto text = flag_text(node);
        if (!option) {
            problems.push_back({path, line, name, "unknown key"});
        } else if (!text) {
            problems.push_back({path, line, name, "expected a string or a number"});
        } else {
            try {
                option->default_val(*text);
            } catch (const CLI::Error& e) {
                problems.push_back({path, line, name, without_flag_name(e.what(), name)});
            }
        }
    }
    tables.file_hooks = hooks_from_toml(table, path, problems);
    std::stable_sort(problems.begin(), problems.end(),
                     [](const file_problem& a, const file_problem& b) { return a.line < b.line; });
    return problems;
}

std::string config_file_path(int argc, const char* const* argv) {
    const std::string flag = "--config", with_value = "--config=";
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == flag && i + 1 < argc) return argv[i + 1];
        if (arg.rfind(with_value, 0) == 0) return arg.substr(with_value.size());
    }
    const char* env = std::getenv("COGSYNC_CONFIG");
    return env ? env : "";
}

}  // namespace cogsync::config
