#pragma once
// Pieces shared by operations: validated ids from the path, the Dataset and Record shapes
// (with the members PROTOCOL.md 2.2 says are always present), page sizes, JSON responses.
#include <optional>
#include <string>

#include "api/call.hpp"
#include "api/json_codec.hpp"
#include "api/request.hpp"
#include "storage/model.hpp"

namespace cogsync::api::ops {

storage::dataset_id dataset_id_of(const call& c);           // validates all three ids
void check_identity_path(const call& c);                     // validates pool and identity ids

void write_dataset(json_writer& w, const storage::dataset& d);
// {"Dataset": <the Dataset shape>}: the answer of DescribeDataset and DeleteDataset.
response dataset_response(const storage::dataset& d);
void write_record(json_writer& w, const storage::record& r);

// The IdentityPoolUsage shape (PROTOCOL.md 3.1).
void write_pool_usage(json_writer& w, const storage::pool_usage& u);

// The tail of a list page: Count, then NextToken only while more remain (empty on the last page).
void write_page_end(json_writer& w, std::size_t count, const std::string& next_token);

// maxResults: absent -> nullopt (everything); otherwise 1..; never refused for being large.
std::optional<std::size_t> page_size(const call& c);

response json_response(const rapidjson::StringBuffer& body);

}  // namespace cogsync::api::ops
