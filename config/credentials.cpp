#include "config/credentials.hpp"

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace cogsync::config {
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

bool valid_access_key(std::string_view k) {
    if (k.empty() || k.size() > 128) return false;
    for (unsigned char c : k)
        if (!std::isalnum(c) && c != '_') return false;
    return true;
}

// One section being read: the credential, where it started, which settings it has.
struct section {
    credential cred;
    int line = 0;
    std::set<std::string> seen;
    std::optional<std::string> kind_text;
};

class parser {
public:
    explicit parser(std::string name) : name_(std::move(name)) {}

    std::vector<credential> run(const std::string& text) {
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
        if (l.back() != ']') fail(line_, "malformed section header, expected [ACCESS_KEY_ID]");
        auto key = std::string(trim(l.substr(1, l.size() - 2)));
        if (!valid_access_key(key)) fail(line_, "invalid access key '" + key + "' (letters, digits and '_')");
        if (!keys_.insert(key).second) fail(line_, "duplicate access key '" + key + "'");
        current_ = section{};
        current_->cred.access_key = key;
        current_->line = line_;
    }

    void setting(std::string_view l) {
        auto eq = l.find('=');
        if (eq == std::string_view::npos) fail(line_, "expected 'name = value'");
        auto name = std::string(trim(l.substr(0, eq)));
        auto value = std::string(trim(l.substr(eq + 1)));
        if (!current_) fail(line_, "setting '" + name + "' outside a [ACCESS_KEY_ID] section");
        if (!current_->seen.insert(name).second) fail(line_, "repeated setting '" + name + "'");
        if (value.empty()) fail(line_, "empty value for '" + name + "'");
        apply(name, value);
    }

    void apply(const std::string& name, const std::string& value) {
        auto& c = current_->cred;
        if (name == "secret") {
            for (unsigned char ch : value)
                if (std::isspace(ch)) fail(line_, "secret may not contain whitespace");
            c.secret = value;
        } else if (name == "kind") {
            if (value != "developer" && value != "identity")
                fail(line_, "unknown kind '" + value + "' (developer or identity)");
            current_->kind_text = value;
            c.kind = value == "developer" ? credential::kind::developer : credential::kind::identity;
        } else if (name == "pools") {
            read_pools(value);
        } else if (name == "pool") {
            c.identity_pool = value;
        } else if (name == "identity") {
            c.identity_id = value;
        } else if (name == "session_token") {
            c.session_token = value;
        } else {
            fail(line_, "unknown setting '" + name + "'");
        }
    }

    void read_pools(const std::string& value) {
        auto& c = current_->cred;
        if (value == "*") {
            c.all_pools = true;
            return;
        }
        std::istringstream in(value);
        std::string item;
        while (std::getline(in, item, ',')) {
            auto pool = std::string(trim(item));
            if (pool.empty() || pool == "*") fail(line_, "empty or '*' entry in the pools list");
            c.pools.push_back(pool);
        }
    }

    void finish_section() {
        if (!current_) return;
        const auto& s = *current_;
        auto at = [&](const std::string& what) { fail(s.line, "[" + s.cred.access_key + "] " + what); };
        if (s.cred.secret.empty()) at("missing 'secret'");
        if (!s.kind_text) at("missing 'kind' (developer or identity)");
        bool dev = s.cred.kind == credential::kind::developer;
        if (dev && (s.seen.count("pool") || s.seen.count("identity")))
            at("'pool' and 'identity' apply to identity keys; developer keys use 'pools'");
        if (dev && !s.seen.count("pools")) at("developer key needs 'pools' (a list of pool ids, or *)");
        if (!dev && s.seen.count("pools")) at("'pools' applies to developer keys; identity keys use 'pool'");
        if (!dev && (s.cred.identity_pool.empty() || s.cred.identity_id.empty()))
            at("identity key needs both 'pool' and 'identity'");
        out_.push_back(s.cred);
        current_.reset();
    }

    std::string name_;
    int line_ = 0;
    std::optional<section> current_;
    std::set<std::string> keys_;
    std::vector<credential> out_;
};

}  // namespace

std::vector<credential> parse_credentials(const std::string& text, const std::string& name) {
    return parser(name).run(text);
}

std::vector<credential> load_credentials_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ":0: cannot open the credentials file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_credentials(text.str(), path);
}

}  // namespace cogsync::config
