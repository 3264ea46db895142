#include "config/toml_credentials.hpp"

#include "config/toml_ini.hpp"

namespace cogsync::config {

std::vector<credential> credentials_from_toml(const toml::node& tables, const std::string& path,
                                              std::vector<file_problem>& problems) {
    toml_ini ini(path);
    size_t before = problems.size();
    ini.add_sections(tables, "credentials", "", "[credentials.ACCESS_KEY]", problems);
    if (problems.size() != before) return {};
    try {
        return parse_credentials(ini.text(), path);
    } catch (const std::runtime_error& e) {
        problems.push_back(ini.problem_of(e));
        return {};
    }
}

}  // namespace cogsync::config
