#pragma once
// The [oidc_providers."<login key>"] tables of the configuration file:
//   issuer     = "https://..."          (default: https://<login key>)
//   client_ids = ["...", ...]            (optional: accepted aud values)
//   jwks_file  = "path/to/jwks.json"     (relative to the configuration file's directory), or
//   jwks       = '{"keys":[...]}'        exactly one of the two: keys are never fetched.
#include <string>
#include <toml++/toml.h>
#include <vector>

#include "config/config_file.hpp"
#include "config/oidc_provider.hpp"

namespace cogsync::config {

// The providers of `tables` (the value of the top-level key "oidc_providers"), JWKS files read;
// on a mistake, appends it to problems (a JWKS file's problem names that file) and leaves the
// provider out.
std::vector<oidc_provider> oidc_providers_from_toml(const toml::node& tables, const std::string& path,
                                                    std::vector<file_problem>& problems);

}  // namespace cogsync::config
