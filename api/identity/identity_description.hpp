#pragma once
// The IdentityDescription shape: IdentityId, Logins (provider names), CreationDate and
// LastModifiedDate as epoch seconds (the JSON 1.1 timestamp form).
#include <vector>

#include "api/json_codec.hpp"
#include "storage/identity_model.hpp"

namespace cogsync::api::identity {

void write_identity_description(json_writer& w, const storage::identity& i,
                                const std::vector<storage::identity_login>& logins);

}  // namespace cogsync::api::identity
