#include "server/log_format.hpp"

#include <spdlog/pattern_formatter.h>

#include <ctime>

#include "api/utf8.hpp"
#include "server/log_scope.hpp"

namespace cogsync::server {

namespace {

// %* in the text pattern: "[ID] " on a line logged for a request, nothing otherwise.
class request_id_flag : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
        auto id = request_log_scope::current();
        if (id.empty()) return;
        dest.push_back('[');
        dest.append(id.data(), id.data() + id.size());
        dest.append(std::string_view("] "));
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<request_id_flag>(); }
};

// The names --log-level takes (spdlog says "warning"), and "critical".
std::string_view level_name(spdlog::level::level_enum level) {
    switch (level) {
        case spdlog::level::trace: return "trace";
        case spdlog::level::debug: return "debug";
        case spdlog::level::info: return "info";
        case spdlog::level::warn: return "warn";
        case spdlog::level::err: return "error";
        default: return "critical";
    }
}

// "2026-12-02T12:52:53.123Z"
void append_timestamp(std::string& out, spdlog::log_clock::time_point at) {
    using namespace std::chrono;
    auto ms = duration_cast<milliseconds>(at.time_since_epoch()).count();
    std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buf[32];
    auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
    out.append(buf, n);
    std::snprintf(buf, sizeof buf, ".%03dZ", static_cast<int>(ms % 1000));
    out += buf;
}

class json_formatter : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        line_.clear();
        line_ += "{\"ts\":\"";
        append_timestamp(line_, msg.time);
        line_ += "\",\"level\":\"";
        line_ += level_name(msg.level);
        line_ += "\",\"msg\":\"";
        append_json_escaped(line_, std::string_view(msg.payload.data(), msg.payload.size()));
        if (auto id = request_log_scope::current(); !id.empty()) {
            line_ += "\",\"request_id\":\"";
            append_json_escaped(line_, id);
        }
        line_ += "\"}\n";
        dest.append(line_.data(), line_.data() + line_.size());
    }
    std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<json_formatter>(); }

private:
    std::string line_;  // reused: a sink formats one line at a time, under its lock
};

}  // namespace

std::unique_ptr<spdlog::formatter> text_log_formatter() {
    auto f = std::make_unique<spdlog::pattern_formatter>();
    f->add_flag<request_id_flag>('*').set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%n] [%^%l%$] %*%v");
    return f;
}

std::unique_ptr<spdlog::formatter> json_log_formatter() { return std::make_unique<json_formatter>(); }

void append_json_escaped(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    for (std::size_t i = 0; i < text.size();) {
        std::size_t n = api::utf8_sequence_length(text, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        if (n > 1) {
            out.append(text.substr(i, n));
            i += n;
            continue;
        }
        unsigned char c = static_cast<unsigned char>(text[i++]);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 0xf];
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
}

}  // namespace cogsync::server
