#include "config/hooks_config.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace cogsync::config {

bool name_filter::matches(const std::string& n) const {
    return all || std::find(names.begin(), names.end(), n) != names.end();
}

std::string hook_section::get(const std::string& name) const {
    auto it = settings.find(name);
    return it == settings.end() ? std::string() : it->second;
}

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string_view strip_comment(std::string_view line) {
    for (size_t i = 0; i < line.size(); ++i)
        if (line[i] == '#' && (i == 0 || std::isspace(static_cast<unsigned char>(line[i - 1]))))
            return line.substr(0, i);
    return line;
}

bool valid_name(std::string_view n) {
    if (n.empty() || n.size() > 64) return false;
    for (unsigned char c : n)
        if (!std::isalnum(c) && c != '_' && c != '-') return false;
    return true;
}

// Plain settings kept in hook_section::settings; the type's factory decides which it needs.
const std::set<std::string> plain_settings = {"url", "endpoint", "region", "access_key", "secret_key",
                                              "path", "fsync"};

struct section {
    hook_section hook;
    std::set<std::string> seen;
    std::optional<name_filter> platforms, streams, functions;
};

class parser {
public:
    explicit parser(std::string name) : name_(std::move(name)) {}

    hooks_config run(const std::string& text) {
        std::istringstream in(text);
        std::string raw;
        while (std::getline(in, raw)) {
            ++line_;
            auto l = trim(strip_comment(raw));
            if (l.empty()) continue;
            if (l.front() == '[') start_section(l);
            else setting(l);
        }
        finish_section();
        return std::move(out_);
    }

private:
    [[noreturn]] void fail(int line, const std::string& what) const {
        throw std::runtime_error(name_ + ":" + std::to_string(line) + ": " + what);
    }

    void start_section(std::string_view l) {
        finish_section();
        if (l.back() != ']') fail(line_, "malformed section header, expected [sink.NAME] or [trigger.NAME]");
        auto full = std::string(trim(l.substr(1, l.size() - 2)));
        auto dot = full.find('.');
        auto kind = full.substr(0, dot);
        if (dot == std::string::npos || (kind != "sink" && kind != "trigger"))
            fail(line_, "unknown section '" + full + "', expected [sink.NAME] or [trigger.NAME]");
        auto name = full.substr(dot + 1);
        if (!valid_name(name)) fail(line_, "invalid name '" + name + "' (letters, digits, '_' and '-')");
        if (!names_.insert(full).second) fail(line_, "duplicate section [" + full + "]");
        current_ = section{};
        current_->hook.name = name;
        current_->hook.line = line_;
        current_->hook.role = kind == "trigger" ? hook_role::trigger : hook_role::push_sink;
    }

    void setting(std::string_view l) {
        auto eq = l.find('=');
        if (eq == std::string_view::npos) fail(line_, "expected 'name = value'");
        auto name = std::string(trim(l.substr(0, eq)));
        auto value = std::string(trim(l.substr(eq + 1)));
        if (!current_) fail(line_, "setting '" + name + "' outside a [sink.NAME] or [trigger.NAME] section");
        if (!current_->seen.insert(name).second) fail(line_, "repeated setting '" + name + "'");
        if (value.empty()) fail(line_, "empty value for '" + name + "'");
        apply(name, value);
    }

    void apply(const std::string& name, const std::string& value) {
        auto& h = current_->hook;
        if (name == "type") h.type = value;
        else if (name == "platforms") current_->platforms = read_list(value);
        else if (name == "streams") current_->streams = read_list(value);
        else if (name == "functions") current_->functions = read_list(value);
        else if (name == "timeout_ms") h.timeout_ms = read_timeout(value);
        else if (plain_settings.count(name)) {
            if (name == "fsync" && value != "always" && value != "never")
                fail(line_, "fsync must be always or never");
            if ((name == "url" || name == "endpoint") && value.rfind("http://", 0) != 0)
                fail(line_, name + " must start with http:// (https is not supported)");
            h.settings[name] = value;
        } else {
            fail(line_, "unknown setting '" + name + "'");
        }
    }

    int read_timeout(const std::string& value) {
        if (value.empty() || value.size() > 6 || value.find_first_not_of("0123456789") != std::string::npos)
            fail(line_, "timeout_ms must be a number of milliseconds");
        int v = std::stoi(value);
        if (v < 100 || v > 60000) fail(line_, "timeout_ms must be between 100 and 60000");
        return v;
    }

    name_filter read_list(const std::string& value) {
        name_filter f;
        if (value == "*") {
            f.all = true;
            return f;
        }
        std::istringstream in(value);
        std::string item;
        while (std::getline(in, item, ',')) {
            auto n = std::string(trim(item));
            if (n.empty() || n == "*") fail(line_, "empty or '*' entry in a list");
            f.names.push_back(n);
        }
        return f;
    }

    void finish_section() {
        if (!current_) return;
        auto& s = *current_;
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
        current_.reset();
    }

    static std::string label(const hook_section& h) {
        return (h.role == hook_role::trigger ? "trigger." : "sink.") + h.name;
    }

    std::string name_;
    int line_ = 0;
    std::optional<section> current_;
    std::set<std::string> names_;
    hooks_config out_;
};

}  // namespace

hooks_config parse_hooks(const std::string& text, const std::string& name) { return parser(name).run(text); }

hooks_config load_hooks_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ":0: cannot open the hooks file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_hooks(text.str(), path);
}

}  // namespace cogsync::config
