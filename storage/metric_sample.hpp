#pragma once
// One value an engine reports about itself for monitoring (database size, write batches), in
// terms any engine can fill: a family with its type and help text, the sample's suffix within the
// family ("_bucket", "_sum", "_count" of a histogram; "" otherwise), labels and the value. The API
// renders them (api/metrics.hpp); the engine knows nothing of the text format.
#include <string>
#include <utility>
#include <vector>

namespace cogsync::storage {

struct metric_sample {
    std::string family;
    std::string type;  // "counter", "gauge" or "histogram"
    std::string help;
    std::string suffix;
    std::vector<std::pair<std::string, std::string>> labels;
    double value = 0;
};

}  // namespace cogsync::storage
