#pragma once
// The lines of the export format (README "Export and import"): newline-delimited JSON, a header,
// then one object per line with a "kind". Dates are epoch milliseconds; member names are those
// the import reader (api/transfer/import_line.hpp) expects.
#include <cstdint>
#include <string>
#include <vector>

#include "storage/hooks_model.hpp"
#include "storage/identity_model.hpp"
#include "storage/model.hpp"

namespace cogsync::api::transfer {

inline constexpr const char* export_format = "cogsync-export";
// Raised only by a change an importer of an older version would misread. A new kind is not one:
// an importer refuses a kind it does not know, by line number, and loads the rest.
inline constexpr int64_t export_version = 1;

// Each returns one JSON object without the trailing newline.
std::string header_line(int64_t created_ms, const std::string& source);
std::string pool_line(const storage::pool_config& c);
std::string device_line(const storage::device& d);
std::string dataset_line(const storage::dataset& d);
std::string record_line(const storage::dataset_id& id, const storage::record& r);
std::string subscription_line(const storage::subscription& s);
// The Cognito Identity side: a pool as DescribeIdentityPool answers it, with its creation time and
// roles; an identity with its logins and the identities merged into it.
std::string identity_pool_line(const storage::identity_pool& p);
std::string identity_line(const storage::identity& i, const std::vector<storage::identity_login>& logins,
                          const std::vector<std::string>& merged);

}  // namespace cogsync::api::transfer
