#include "config/toml_ini.hpp"

#include <cstdio>
#include <optional>

namespace cogsync::config {

namespace {

// A value as the INI format would carry it; nullopt when it cannot be one line of that format
// ('#' after whitespace starts a comment there, and would cut a value short).
std::optional<std::string> ini_value(const toml::node& node) {
    std::string text;
    if (node.is_string()) {
        text = *node.value<std::string>();
    } else if (node.is_integer()) {
        text = std::to_string(*node.value<int64_t>());
    } else if (const auto* list = node.as_array()) {
        for (const auto& item : *list) {
            if (!item.is_string() || item.value<std::string>()->empty()) return std::nullopt;
            text += (text.empty() ? "" : ", ") + *item.value<std::string>();
        }
    } else {
        return std::nullopt;
    }
    if (text.find_first_of("\r\n") != std::string::npos) return std::nullopt;
    for (size_t at = text.find('#'); at != std::string::npos; at = text.find('#', at + 1))
        if (at > 0 && (text[at - 1] == ' ' || text[at - 1] == '\t')) return std::nullopt;
    return text;
}

// A table name that a one-line INI header can hold as it is.
bool header_name(const std::string& name) {
    if (name.empty()) return false;
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7f || c == '#' || c == '[' || c == ']') return false;
    return true;
}

}  // namespace

void toml_ini::add_sections(const toml::node& tables, const std::string& top, const std::string& header_prefix,
                            const std::string& form, std::vector<file_problem>& problems) {
    if (first_top_.empty()) first_top_ = top;
    const auto* all = tables.as_table();
    if (!all) {
        problems.push_back({path_, tables.source().begin.line, top, "expected " + form + " tables"});
        return;
    }
    for (const auto& [key, node] : *all) {
        std::string name(key.str()), full = top + "." + name;
        const auto* table = node.as_table();
        int64_t line = node.source().begin.line;
        if (!header_name(name)) {
            problems.push_back({path_, line, full, "expected a name without control characters, '#', '[' or ']'"});
            continue;
        }
        if (!table || !lines_.emplace(line, "[" + header_prefix + name + "]").second) {
            problems.push_back({path_, line, full, "expected a table of its own: [" + full + "]"});
            continue;
        }
        headers_[line] = full;
        for (const auto& [setting, value] : *table) {
            int64_t at = value.source().begin.line;
            auto text = ini_value(value);
            std::string where = full + "." + std::string(setting.str());
            if (!text)
                problems.push_back({path_, at, where, "expected one line of text, or a list of non-empty strings, without ' #'"});
            else if (!lines_.emplace(at, std::string(setting.str()) + " = " + *text).second)
                problems.push_back({path_, at, where, "one setting per line"});
        }
    }
}

std::string toml_ini::text() const {
    std::string out;
    int64_t next = 1;
    for (const auto& [line, content] : lines_) {
        out.append(static_cast<size_t>(line - next), '\n');
        out += content + "\n";
        next = line + 1;
    }
    return out;
}

file_problem toml_ini::problem_of(const std::runtime_error& e) const {
    std::string message = e.what();
    size_t line_end = message.find(": ", path_.size() + 1);
    int64_t line = std::stoll(message.substr(path_.size() + 1, line_end - path_.size() - 1));
    auto table = headers_.upper_bound(line);
    std::string key = table == headers_.begin() ? first_top_ : std::prev(table)->second;
    return {path_, line, key, message.substr(line_end + 2)};
}

std::string toml_string(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

}  // namespace cogsync::config
