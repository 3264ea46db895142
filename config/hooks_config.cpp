#include "config/hooks_config.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string_view>

#include "config/ini_reader.hpp"

namespace cogsync::config {

bool name_filter::matches(const std::string& n) const {
    return all || std::find(names.begin(), names.end(), n) != names.end();
}

std::string hook_section::get(const std::string& name) const {
    auto it = settings.find(name);
    return it == settings.end() ? std::string() : it->second;
}

namespace {

bool valid_name(std::string_view n) {
    if (n.empty() || n.size() > 64) return false;
    for (unsigned char c : n)
        if (!std::isalnum(c) && c != '_' && c != '-') return false;
    return true;
}

// Plain settings kept in hook_section::settings; the type's factory decides which it needs.
const std::set<std::string> plain_settings = {"url", "endpoint", "region", "access_key", "secret_key",
                                              "path", "fsync", "ca_file"};

struct section {
    hook_section hook;
    std::optional<name_filter> platforms, streams, functions;
};

class parser : ini_reader {
public:
    explicit parser(std::string name) : ini_reader(std::move(name), "[sink.NAME] or [trigger.NAME]") {}

    hooks_config run(const std::string& text) {
        read(text);
        return std::move(out_);
    }

private:
    void on_section(const std::string& full) override {
        auto dot = full.find('.');
        auto kind = full.substr(0, dot);
        if (dot == std::string::npos || (kind != "sink" && kind != "trigger"))
            fail(line(), "unknown section '" + full + "', expected [sink.NAME] or [trigger.NAME]");
        auto name = full.substr(dot + 1);
        if (!valid_name(name)) fail(line(), "invalid name '" + name + "' (letters, digits, '_' and '-')");
        if (!names_.insert(full).second) fail(line(), "duplicate section [" + full + "]");
        current_ = section{};
        current_.hook.name = name;
        current_.hook.line = line();
        current_.hook.role = kind == "trigger" ? hook_role::trigger : hook_role::push_sink;
    }

    void on_setting(const std::string& name, const std::string& value) override {
        auto& h = current_.hook;
        if (name == "type") h.type = value;
        else if (name == "platforms") current_.platforms = read_filter(value);
        else if (name == "streams") current_.streams = read_filter(value);
        else if (name == "functions") current_.functions = read_filter(value);
        else if (name == "timeout_ms") h.timeout_ms = read_timeout(value);
        else if (plain_settings.count(name)) {
            if (name == "fsync" && value != "always" && value != "never")
                fail(line(), "fsync must be always or never");
            if ((name == "url" || name == "endpoint") && value.rfind("http://", 0) != 0 &&
                value.rfind("https://", 0) != 0)
                fail(line(), name + " must start with http:// or https://");
            h.settings[name] = value;
        } else {
            fail(line(), "unknown setting '" + name + "'");
        }
    }

    int read_timeout(const std::string& value) {
        if (value.empty() || value.size() > 6 || value.find_first_not_of("0123456789") != std::string::npos)
            fail(line(), "timeout_ms must be a number of milliseconds");
        int v = std::stoi(value);
        if (v < 100 || v > 60000) fail(line(), "timeout_ms must be between 100 and 60000");
        return v;
    }

    name_filter read_filter(const std::string& value) {
        auto list = read_list(value, "empty or '*' entry in a list");
        return name_filter{list.all, std::move(list.names)};
    }

    void on_section_end() override {
        auto& s = current_;
        auto& h = s.hook;
        auto at = [&](const std::string& what) { fail(h.line, "[" + label(h) + "] " + what); };
        if (h.type.empty()) at("missing 'type'");
        if (h.role == hook_role::trigger) {
            if (s.platforms || s.streams) at("'platforms' and 'streams' apply to sinks");
            if (!s.functions) at("trigger needs 'functions' (Lambda ARNs, or *)");
            h.serves = *s.functions;
            out_.triggers.push_back(h);
        } else {
            if (s.functions) at("'functions' applies to triggers");
            if (bool(s.platforms) == bool(s.streams))
                at("a sink needs exactly one of 'platforms' (push sink) or 'streams' (stream sink)");
            h.role = s.platforms ? hook_role::push_sink : hook_role::stream_sink;
            h.serves = s.platforms ? *s.platforms : *s.streams;
            out_.sinks.push_back(h);
        }
    }

    static std::string label(const hook_section& h) {
        return (h.role == hook_role::trigger ? "trigger." : "sink.") + h.name;
    }

    section current_;
    std::set<std::string> names_;
    hooks_config out_;
};

}  // namespace

hooks_config parse_hooks(const std::string& text, const std::string& name) { return parser(name).run(text); }

hooks_config load_hooks_file(const std::string& path) {
    return parse_hooks(read_config_file(path, "hooks"), path);
}

}  // namespace cogsync::config
