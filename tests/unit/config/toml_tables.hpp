#pragma once
// What a reader of configuration-file tables (toml_credentials.hpp, toml_hooks.hpp) makes of
// `text`, read as the file "c.toml": its value and its problems.
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <utility>
#include <vector>

#include "config/config_file.hpp"

template <class T>
struct toml_tables {
    T value;
    std::vector<cogsync::config::file_problem> problems;
};

// reader(const toml::table& file, std::vector<file_problem>& problems) -> T
template <class Reader>
auto read_toml_tables(const std::string& text, Reader&& reader) {
    auto file = toml::parse(std::string_view(text), std::string_view("c.toml"));
    std::vector<cogsync::config::file_problem> problems;
    auto value = reader(file, problems);
    return toml_tables<decltype(value)>{std::move(value), std::move(problems)};
}
