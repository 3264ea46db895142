#include "config/toml_pools.hpp"

#include <regex>

namespace cogsync::config {
namespace {

bool pool_id(const std::string& id) {
    static const std::regex pattern("[\\w-]+:[0-9a-f-]+");
    return id.size() <= 55 && std::regex_match(id, pattern);
}

struct pool_reader {
    const std::string& path;
    std::vector<file_problem>& problems;
    std::string prefix;

    void problem(const toml::node& at, const std::string& key, std::string message) {
        problems.push_back({path, at.source().begin.line, key, std::move(message)});
    }

    std::string text(const toml::node& value, const std::string& key) {
        if (auto s = value.value<std::string>(); value.is_string() && !s->empty()) return *s;
        problem(value, prefix + "." + key, "expected a non-empty string");
        return {};
    }

    void logins(const toml::node& value, declared_pool& p) {
        const auto* t = value.as_table();
        if (!t) return problem(value, prefix + ".supported_login_providers", "expected a table of provider = \"app id\"");
        for (const auto& [k, v] : *t) p.supported_login_providers[std::string(k.str())] = text(v, "supported_login_providers");
    }

    std::optional<declared_pool> read(const std::string& id, const toml::node& node) {
        prefix = "pools." + id;
        const auto before = problems.size();
        declared_pool p{id, "", false, "", {}};
        const auto* table = node.as_table();
        if (!table) {
            problem(node, prefix, "expected a table of its own: [pools.\"<region>:<uuid>\"]");
            return std::nullopt;
        }
        if (!pool_id(id)) problem(node, prefix, "a pool id is <region>:<uuid>, at most 55 characters");
        for (const auto& [name, value] : *table) {
            const std::string key(name.str());
            if (key == "name") p.name = text(value, key);
            else if (key == "developer_provider") p.developer_provider = text(value, key);
            else if (key == "supported_login_providers") logins(value, p);
            else if (key == "allow_unauthenticated" && value.is_boolean()) p.allow_unauthenticated = *value.value<bool>();
            else if (key == "allow_unauthenticated") problem(value, prefix + "." + key, "expected true or false");
            else problem(value, prefix + "." + key, "unknown key");
        }
        if (p.name.empty() && !table->contains("name")) problem(node, prefix, "needs a name");
        return problems.size() == before ? std::optional(p) : std::nullopt;
    }
};

}  // namespace

std::vector<declared_pool> pools_from_toml(const toml::node& tables, const std::string& path,
                                           std::vector<file_problem>& problems) {
    const auto* all = tables.as_table();
    if (!all) {
        problems.push_back({path, tables.source().begin.line, "pools", "expected [pools.\"<region>:<uuid>\"] tables"});
        return {};
    }
    pool_reader reader{path, problems, ""};
    std::vector<declared_pool> out;
    for (const auto& [key, node] : *all)
        if (auto p = reader.read(std::string(key.str()), node)) out.push_back(std::move(*p));
    return out;
}

}  // namespace cogsync::config
