#include "config/toml_credentials.hpp"

#include <map>
#include <stdexcept>

namespace cogsync::config {

namespace {

using lines = std::map<int64_t, std::string>;  // line number -> INI text

// A setting's value as the credentials file would carry it; nullopt when it cannot be one line
// of that format ('#' after whitespace starts a comment there, and would cut a value short).
std::optional<std::string> ini_value(const toml::node& node) {
    std::string text;
    if (node.is_string()) {
        text = *node.value<std::string>();
    } else if (node.is_integer()) {
        text = std::to_string(*node.value<int64_t>());
    } else if (const auto* list = node.as_array()) {
        for (const auto& item : *list) {
            if (!item.is_string()) return std::nullopt;
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

bool place(lines& out, int64_t line, std::string text) { return out.emplace(line, std::move(text)).second; }

// "<path>:<line>: <what>" from the credentials parser, as a problem under its table's key.
file_problem problem_of(const std::runtime_error& e, const std::string& path, const std::map<int64_t, std::string>& headers) {
    std::string message = e.what();
    size_t line_end = message.find(": ", path.size() + 1);
    int64_t line = std::stoll(message.substr(path.size() + 1, line_end - path.size() - 1));
    auto table = headers.upper_bound(line);
    std::string key = table == headers.begin() ? "credentials" : "credentials." + std::prev(table)->second;
    return {path, line, key, message.substr(line_end + 2)};
}

}  // namespace

std::vector<credential> credentials_from_toml(const toml::node& tables, const std::string& path,
                                              std::vector<file_problem>& problems) {
    const auto* all = tables.as_table();
    if (!all) {
        problems.push_back({path, tables.source().begin.line, "credentials", "expected [credentials.ACCESS_KEY] tables"});
        return {};
    }
    lines ini;
    std::map<int64_t, std::string> headers;  // header line -> access key
    size_t before = problems.size();
    for (const auto& [key, node] : *all) {
        std::string access_key(key.str());
        const auto* table = node.as_table();
        int64_t line = node.source().begin.line;
        if (!table || !place(ini, line, "[" + access_key + "]")) {
            problems.push_back({path, line, "credentials." + access_key, "expected a table of its own: [credentials." + access_key + "]"});
            continue;
        }
        headers[line] = access_key;
        for (const auto& [name, value] : *table) {
            std::string full = "credentials." + access_key + "." + std::string(name.str());
            int64_t at = value.source().begin.line;
            auto text = ini_value(value);
            if (!text)
                problems.push_back({path, at, full, "expected one line of text, or a list of strings, without ' #'"});
            else if (!place(ini, at, std::string(name.str()) + " = " + *text))
                problems.push_back({path, at, full, "one setting per line"});
        }
    }
    if (problems.size() != before) return {};
    std::string text;
    int64_t next = 1;
    for (const auto& [line, content] : ini) {
        text.append(static_cast<size_t>(line - next), '\n');
        text += content + "\n";
        next = line + 1;
    }
    try {
        return parse_credentials(text, path);
    } catch (const std::runtime_error& e) {
        problems.push_back(problem_of(e, path, headers));
        return {};
    }
}

}  // namespace cogsync::config
