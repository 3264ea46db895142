#include "config/toml_oidc_providers.hpp"

#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cogsync::config {
namespace {

bool url(const std::string& text) { return text.rfind("https://", 0) == 0 || text.rfind("http://", 0) == 0; }

// Why text is not a JWKS document, at the depth the configuration can tell; empty when it is one.
std::string jwks_mistake(const std::string& text) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    if (doc.HasParseError()) return "is not JSON";
    const std::string not_jwks = "is not a JWKS document {\"keys\": [...]}";
    if (!doc.IsObject()) return not_jwks;  // MemberEnd() of a non-object is undefined
    auto keys = doc.FindMember("keys");
    return keys != doc.MemberEnd() && keys->value.IsArray() ? "" : not_jwks;
}

std::optional<std::string> read_file(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

class provider_reader {
public:
    provider_reader(std::string path, std::vector<file_problem>& problems) : path_(std::move(path)), problems_(problems) {}

    std::optional<oidc_provider> read(const std::string& login_key, const toml::node& node) {
        oidc_provider p{login_key, "https://" + login_key, {}, {}, {}};
        const auto* table = node.as_table();
        prefix_ = "oidc_providers." + login_key;
        size_t before = problems_.size();
        if (!table) return problem(node, prefix_, "expected a table of its own: [oidc_providers.\"" + login_key + "\"]");
        if (login_key.empty() || login_key.size() > 128) return problem(node, prefix_, "a login key has 1 to 128 characters");
        const toml::node* jwks_at = nullptr;
        for (const auto& [name, value] : *table) {
            std::string key(name.str());
            if (key == "issuer") p.issuer = text(value, key, url, "expected an http:// or https:// URL");
            else if (key == "client_ids") p.client_ids = list(value, key);
            else if (key == "jwks_file" || key == "jwks") {
                if (jwks_at) {  // the table iterates by name: the mistake is the later line
                    bool later = value.source().begin.line > jwks_at->source().begin.line;
                    problem(later ? value : *jwks_at, prefix_ + "." + (later == (key == "jwks") ? "jwks" : "jwks_file"),
                            "give jwks_file or jwks, not both");
                }
                jwks_at = &value;
                (key == "jwks" ? p.jwks : p.jwks_file) = text(value, key, [](const std::string& t) { return !t.empty(); }, "expected a non-empty string");
            } else {
                problem(value, prefix_ + "." + key, "unknown key");
            }
        }
        if (!jwks_at)
            problem(node, prefix_, "needs jwks_file or jwks: the provider's signing keys (cogsync does not fetch keys from the internet)");
        if (problems_.size() == before && !p.jwks_file.empty()) load(p, *jwks_at);
        else if (problems_.size() == before) check_jwks(p.jwks, *jwks_at, "jwks", "inline JWKS");
        return problems_.size() == before ? std::optional(p) : std::nullopt;
    }

private:
    std::nullopt_t problem(const toml::node& at, const std::string& key, std::string message) {
        problems_.push_back({path_, at.source().begin.line, key, std::move(message)});
        return std::nullopt;
    }

    template <typename Valid>
    std::string text(const toml::node& value, const std::string& key, Valid valid, const char* expected) {
        auto s = value.value<std::string>();
        if (!value.is_string() || !valid(*s)) {
            problem(value, prefix_ + "." + key, expected);
            return {};
        }
        return *s;
    }

    std::vector<std::string> list(const toml::node& value, const std::string& key) {
        std::vector<std::string> out;
        const auto* items = value.as_array();
        for (size_t i = 0; items && i < items->size(); ++i)
            if (auto s = (*items)[i].value<std::string>(); (*items)[i].is_string() && !s->empty()) out.push_back(*s);
        if (!items || out.size() != items->size()) problem(value, prefix_ + "." + key, "expected a list of non-empty strings");
        return out;
    }

    void load(oidc_provider& p, const toml::node& at) {
        std::filesystem::path file(p.jwks_file);
        if (file.is_relative()) file = std::filesystem::absolute(std::filesystem::path(path_).parent_path() / file);
        p.jwks_file = file.lexically_normal().string();
        auto text = read_file(p.jwks_file);
        if (!text) {
            problem(at, prefix_ + ".jwks_file", "cannot read JWKS file " + p.jwks_file);
            return;
        }
        p.jwks = *text;
        check_jwks(p.jwks, at, "jwks_file", "JWKS file " + p.jwks_file);
    }

    void check_jwks(const std::string& jwks, const toml::node& at, const char* key, const std::string& what) {
        if (auto mistake = jwks_mistake(jwks); !mistake.empty()) problem(at, prefix_ + "." + key, what + " " + mistake);
    }

    std::string path_;
    std::vector<file_problem>& problems_;
    std::string prefix_;
};

}  // namespace

std::vector<oidc_provider> oidc_providers_from_toml(const toml::node& tables, const std::string& path,
                                                    std::vector<file_problem>& problems) {
    const auto* all = tables.as_table();
    if (!all) {
        problems.push_back({path, tables.source().begin.line, "oidc_providers", "expected [oidc_providers.\"<login key>\"] tables"});
        return {};
    }
    provider_reader reader(path, problems);
    std::vector<oidc_provider> out;
    for (const auto& [key, node] : *all)
        if (auto p = reader.read(std::string(key.str()), node)) out.push_back(std::move(*p));
    return out;
}

}  // namespace cogsync::config
