#pragma once
// The Prometheus text exposition format 0.0.4: one "# HELP" and "# TYPE" line per family, then
// its samples, `name{label="value",...} value`. Label values escape backslash, double quote and
// line feed; help text escapes backslash and line feed. Values print in their shortest exact
// form (whole numbers without a point), infinities as "+Inf"/"-Inf".
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/metric_sample.hpp"

namespace cogsync::api {

using metric_labels = std::vector<std::pair<std::string, std::string>>;

std::string escape_label_value(std::string_view v);
std::string format_metric_value(double v);

class prometheus_text {
public:
    // Starts a family; each family's samples must follow its start, and no family starts twice.
    void family(std::string_view name, std::string_view type, std::string_view help);
    void sample(std::string_view name, const metric_labels& labels, double value);
    // Samples from elsewhere (the store); a family starts where its name first differs from the
    // one before.
    void add(const std::vector<storage::metric_sample>& samples);
    const std::string& text() const { return out_; }

private:
    std::string out_;
    std::string current_;
};

}  // namespace cogsync::api
