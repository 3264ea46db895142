#include "config/credentials.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

#include "config/ini_reader.hpp"

namespace cogsync::config {
namespace {

bool valid_access_key(std::string_view k) {
    if (k.empty() || k.size() > 128) return false;
    for (unsigned char c : k)
        if (!std::isalnum(c) && c != '_') return false;
    return true;
}

// One section being read: the credential, where it started, whether it set a kind.
struct section {
    credential cred;
    int line = 0;
    std::optional<std::string> kind_text;
};

class parser : ini_reader {
public:
    explicit parser(std::string name) : ini_reader(std::move(name), "[ACCESS_KEY_ID]") {}

    std::vector<credential> run(const std::string& text) {
        read(text);
        return std::move(out_);
    }

private:
    void on_section(const std::string& key) override {
        if (!valid_access_key(key))
            fail(line(), "invalid access key '" + key + "' (letters, digits and '_')");
        if (!keys_.insert(key).second) fail(line(), "duplicate access key '" + key + "'");
        current_ = section{};
        current_.cred.access_key = key;
        current_.line = line();
    }

    void on_setting(const std::string& name, const std::string& value) override {
        auto& c = current_.cred;
        if (name == "secret") {
            for (unsigned char ch : value)
                if (std::isspace(ch)) fail(line(), "secret may not contain whitespace");
            c.secret = value;
        } else if (name == "kind") {
            if (value != "developer" && value != "identity")
                fail(line(), "unknown kind '" + value + "' (developer or identity)");
            current_.kind_text = value;
            c.kind = value == "developer" ? credential::kind::developer : credential::kind::identity;
        } else if (name == "pools") {
            auto pools = read_list(value, "empty or '*' entry in the pools list");
            c.all_pools = pools.all;
            c.pools = std::move(pools.names);
        } else if (name == "pool") {
            c.identity_pool = value;
        } else if (name == "identity") {
            c.identity_id = value;
        } else if (name == "account") {
            if (!valid_account_id(value)) fail(line(), "account must be a 12-digit AWS account id");
            c.account_id = value;
        } else if (name == "session_token") {
            c.session_token = value;
        } else {
            fail(line(), "unknown setting '" + name + "'");
        }
    }

    void on_section_end() override {
        const auto& s = current_;
        auto at = [&](const std::string& what) { fail(s.line, "[" + s.cred.access_key + "] " + what); };
        if (s.cred.secret.empty()) at("missing 'secret'");
        if (!s.kind_text) at("missing 'kind' (developer or identity)");
        bool dev = s.cred.kind == credential::kind::developer;
        if (dev && (has("pool") || has("identity")))
            at("'pool' and 'identity' apply to identity keys; developer keys use 'pools'");
        if (dev && !has("pools")) at("developer key needs 'pools' (a list of pool ids, or *)");
        if (!dev && has("pools")) at("'pools' applies to developer keys; identity keys use 'pool'");
        if (!dev && has("account"))
            at("'account' applies to developer keys; an identity key writes its identity id");
        if (!dev && (s.cred.identity_pool.empty() || s.cred.identity_id.empty()))
            at("identity key needs both 'pool' and 'identity'");
        out_.push_back(s.cred);
    }

    section current_;
    std::set<std::string> keys_;
    std::vector<credential> out_;
};

}  // namespace

bool valid_account_id(const std::string& text) {
    return text.size() == 12 && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::vector<credential> parse_credentials(const std::string& text, const std::string& name) {
    return parser(name).run(text);
}

std::vector<credential> load_credentials_file(const std::string& path) {
    return parse_credentials(read_config_file(path, "credentials"), path);
}

bool has_developer_key(const std::vector<credential>& creds) {
    for (const auto& c : creds)
        if (c.kind == credential::kind::developer) return true;
    return false;
}

}  // namespace cogsync::config
