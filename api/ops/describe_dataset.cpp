// DescribeDataset (PROTOCOL.md 3.2): a live dataset's metadata; missing or deleted is 404.
#include "api/api_error.hpp"
#include "api/ops/operations.hpp"
#include "api/ops/shapes.hpp"

namespace cogsync::api::ops {

step describe_dataset(const call& c, context& ctx) {
    auto id = dataset_id_of(c);
    auto d = ctx.store.read([&](storage::read_view& v) { return v.load_dataset(id); });
    if (d.state != storage::dataset_state::live) throw api_error(error_code::resource_not_found, "Dataset not found.");
    return dataset_response(d);
}

}  // namespace cogsync::api::ops
