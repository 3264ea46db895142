#include "api/prometheus_text.hpp"

#include <charconv>
#include <cmath>

namespace cogsync::api {
namespace {

std::string escape(std::string_view v, bool quotes) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else if (c == '"' && quotes) out += "\\\"";
        else out += c;
    }
    return out;
}

}  // namespace

std::string escape_label_value(std::string_view v) { return escape(v, true); }

std::string format_metric_value(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    char buf[32];
    // The shortest form that reads back as v, in %g style: 0.0005, not 5e-04.
    auto end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general).ptr;
    return std::string(buf, end);
}

void prometheus_text::family(std::string_view name, std::string_view type, std::string_view help) {
    current_ = name;
    out_.append("# HELP ").append(name).append(" ").append(escape(help, false)).append("\n");
    out_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void prometheus_text::sample(std::string_view name, const metric_labels& labels, double value) {
    out_.append(name);
    if (!labels.empty()) {
        out_ += '{';
        for (std::size_t i = 0; i < labels.size(); ++i) {
            if (i) out_ += ',';
            out_.append(labels[i].first).append("=\"").append(escape_label_value(labels[i].second)).append("\"");
        }
        out_ += '}';
    }
    out_.append(" ").append(format_metric_value(value)).append("\n");
}

void prometheus_text::add(const std::vector<storage::metric_sample>& samples) {
    for (const auto& s : samples) {
        if (s.family != current_) family(s.family, s.type, s.help);
        sample(s.family + s.suffix, s.labels, s.value);
    }
}

}  // namespace cogsync::api
