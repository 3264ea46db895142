#include "api/auth/canonical.hpp"

#include <algorithm>
#include <cctype>

namespace cogsync::api::auth {
namespace {

bool unreserved(unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Trimall of the SigV4 spec: leading/trailing whitespace removed, inner runs become one space.
// Obsolete line folding (the suite's get-header-value-multiline) is whitespace too.
std::string trim_all(std::string_view v) {
    std::string out;
    bool pending_space = false;
    for (char c : v) {
        if (is_space(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += c;
    }
    return out;
}

// Segments of a path after dropping "", "." and resolving "..".
std::vector<std::string_view> normalized_segments(std::string_view path) {
    std::vector<std::string_view> out;
    size_t pos = 0;
    while (pos <= path.size()) {
        size_t next = path.find('/', pos);
        if (next == std::string_view::npos) next = path.size();
        auto seg = path.substr(pos, next - pos);
        if (seg == "..") {
            if (!out.empty()) out.pop_back();
        } else if (!seg.empty() && seg != ".") {
            out.push_back(seg);
        }
        pos = next + 1;
    }
    return out;
}

}  // namespace

std::string uri_encode(std::string_view in, bool keep_slash) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(in.size());
    for (unsigned char c : in) {
        if (unreserved(c) || (keep_slash && c == '/')) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 0x0f];
        }
    }
    return out;
}

std::string uri_decode(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '%' && i + 2 < in.size()) {
            int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += in[i];
    }
    return out;
}

std::string canonical_uri(std::string_view raw_path) {
    auto segments = normalized_segments(raw_path);
    std::string out;
    for (auto seg : segments) {
        out += '/';
        out += uri_encode(seg, false);
    }
    bool trailing = !raw_path.empty() && raw_path.back() == '/';
    if (out.empty() || trailing) out += '/';
    return out;
}

std::vector<std::pair<std::string, std::string>> split_query(std::string_view raw_query) {
    std::vector<std::pair<std::string, std::string>> out;
    size_t pos = 0;
    while (pos <= raw_query.size()) {
        size_t next = raw_query.find('&', pos);
        if (next == std::string_view::npos) next = raw_query.size();
        auto piece = raw_query.substr(pos, next - pos);
        if (!piece.empty()) {
            auto eq = piece.find('=');
            auto name = piece.substr(0, eq);
            auto value = eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1);
            out.emplace_back(uri_decode(name), uri_decode(value));
        }
        pos = next + 1;
    }
    return out;
}

std::string canonical_query(std::string_view raw_query, std::string_view exclude) {
    std::vector<std::pair<std::string, std::string>> encoded;
    for (const auto& [name, value] : split_query(raw_query)) {
        if (!exclude.empty() && name == exclude) continue;
        encoded.emplace_back(uri_encode(name, false), uri_encode(value, false));
    }
    std::sort(encoded.begin(), encoded.end());
    std::string out;
    for (const auto& [name, value] : encoded) {
        if (!out.empty()) out += '&';
        out += name + '=' + value;
    }
    return out;
}

std::string canonical_headers(const header_list& headers, std::string_view signed_headers) {
    std::string out;
    size_t pos = 0;
    while (pos <= signed_headers.size()) {
        size_t next = signed_headers.find(';', pos);
        if (next == std::string_view::npos) next = signed_headers.size();
        auto name = lower(signed_headers.substr(pos, next - pos));
        std::string joined;
        bool first = true;
        for (const auto& [k, v] : headers) {
            if (lower(k) != name) continue;
            if (!first) joined += ',';
            joined += trim_all(v);
            first = false;
        }
        out += name + ':' + joined + '\n';
        pos = next + 1;
    }
    return out;
}

}  // namespace cogsync::api::auth
