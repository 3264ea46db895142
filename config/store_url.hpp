#pragma once
// The --store setting (settings::store): empty, or a postgres:// URL that may carry a password.
#include <string>

namespace cogsync::config {

bool is_postgres_url(const std::string& store);
// The URL with its password replaced by *** (for logs and `config show`); other text unchanged.
std::string masked_store_url(const std::string& store);

}  // namespace cogsync::config
