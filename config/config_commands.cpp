#include "config/config_commands.hpp"

#include <iostream>

#include "config/config_file.hpp"
#include "config/parse_settings.hpp"
#include "config/store_url.hpp"
#include "config/toml_hooks.hpp"
#include "config/toml_ini.hpp"

namespace cogsync::config {

namespace {

// The value an option ends up with: the last given (flag or environment), else its default,
// which the file may have set.
std::string effective_text(const CLI::Option& option) {
    const auto& given = option.results();
    return given.empty() ? option.get_default_str() : given.back();
}

// A [credentials.KEY] table with its secret and session token as "****".
std::string masked_table(const credential& c) {
    std::string out = "\n[credentials." + c.access_key + "]\nsecret = \"****\"\n";
    if (c.session_token) out += "session_token = \"****\"\n";
    if (c.kind == credential::kind::identity)
        return out + "kind = \"identity\"\npool = " + toml_string(c.identity_pool) + "\nidentity = " +
               toml_string(c.identity_id) + "\n";
    std::string pools = c.all_pools ? "*" : "";
    for (const auto& p : c.pools) pools += (pools.empty() ? "" : ", ") + p;
    out += "kind = \"developer\"\npools = " + toml_string(pools) + "\n";
    return c.account_id.empty() ? out : out + "account = " + toml_string(c.account_id) + "\n";
}

// A [pools."<region>:<uuid>"] table.
std::string pool_table(const declared_pool& p) {
    std::string out = "\n[pools." + toml_string(p.id) + "]\nname = " + toml_string(p.name) +
                      "\nallow_unauthenticated = " + (p.allow_unauthenticated ? "true" : "false") + "\n";
    if (!p.developer_provider.empty()) out += "developer_provider = " + toml_string(p.developer_provider) + "\n";
    if (p.supported_login_providers.empty()) return out;
    out += "supported_login_providers = {";
    const char* sep = " ";
    for (const auto& [provider, app] : p.supported_login_providers) {
        out += sep + toml_string(provider) + " = " + toml_string(app);
        sep = ", ";
    }
    return out + " }\n";
}

// An [oidc_providers."<login key>"] table; nothing in it is secret (public keys only).
std::string provider_table(const oidc_provider& p) {
    std::string out = "\n[oidc_providers." + toml_string(p.login_key) + "]\nissuer = " + toml_string(p.issuer) + "\n";
    if (!p.client_ids.empty()) {
        std::string ids;
        for (const auto& id : p.client_ids) ids += (ids.empty() ? "" : ", ") + toml_string(id);
        out += "client_ids = [" + ids + "]\n";
    }
    return out + (p.jwks_file.empty() ? "jwks = " + toml_string(p.jwks) : "jwks_file = " + toml_string(p.jwks_file)) + "\n";
}

}  // namespace

config_commands::config_commands(CLI::App& app)
    : shown_listen_(shown_.listen_host + ":" + std::to_string(shown_.listen_port)) {
    auto* group = app.add_subcommand("config", "Check a configuration file or show the effective configuration");
    group->require_subcommand(1);
    auto* check = group->add_subcommand("check", "Print ok, or each mistake of FILE as FILE:LINE: key 'k': problem");
    check->add_option("file", check_file_, "The TOML configuration file")->required();
    show_ = group->add_subcommand("show", "Print the effective configuration as TOML (takes the options of serve)");
    add_serve_options(*show_, shown_, shown_listen_);
}

bool config_commands::apply_to_show(const std::string& path, int argc, const char* const* argv) {
    bool asked = argc > 2 && std::string(argv[1]) == "config" && std::string(argv[2]) == "show";
    return !asked || config_file_applies(path, *show_, shown_);
}

std::optional<int> config_commands::run_check() const {
    if (check_file_.empty()) return std::nullopt;
    settings s;
    std::string listen = s.listen_host + ":" + std::to_string(s.listen_port);
    CLI::App options;
    add_serve_options(options, s, listen);
    if (!config_file_applies(check_file_, options, s)) return 2;
    if (auto error = finish_settings(s, listen)) {
        std::cerr << check_file_ << ": " << *error << "\n";
        return 2;
    }
    std::cout << "ok\n";
    return 0;
}

std::optional<int> config_commands::run_show() {
    if (!show_->parsed()) return std::nullopt;
    if (auto error = finish_settings(shown_, shown_listen_)) {
        std::cerr << *error << "\n";
        return 2;
    }
    for (const CLI::Option* option : show_->get_options()) {
        if (option->get_lnames().empty()) continue;
        const std::string& name = option->get_lnames().front();
        if (name == "help" || name == "config") continue;
        std::string value = name == "auth"    ? shown_.auth_mode
                            : name == "store" ? masked_store_url(shown_.store)
                                              : effective_text(*option);
        bool text = option->get_type_name().rfind("TEXT", 0) == 0;
        if (!text && value.empty()) continue;  // a number never set and without a default to show
        std::cout << name << " = " << (text ? toml_string(value) : value) << "\n";
    }
    if (shown_.auth_mode == "sigv4" && shown_.credentials_file.empty() && !has_developer_key(shown_.credentials))
        std::cout << "# no developer key: " << no_developer_key_note << "\n";
    for (const auto& c : shown_.credentials) std::cout << masked_table(c);
    for (const auto& p : shown_.oidc_providers) std::cout << provider_table(p);
    if (shown_.file_hooks) std::cout << masked_hooks_toml(*shown_.file_hooks);
    for (const auto& p : shown_.pools) std::cout << pool_table(p);
    return 0;
}

bool config_file_applies(const std::string& path, CLI::App& options, settings& tables) {
    auto problems = apply_config_file(path, options, tables);
    for (const auto& p : problems) std::cerr << describe(p) << "\n";
    return problems.empty();
}

}  // namespace cogsync::config
