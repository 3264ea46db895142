#pragma once
// Tables of the configuration file that stand for a file of the INI line format
// (config/ini_reader.hpp): the [credentials.*] tables for the credentials file, the [sink.*] and
// [trigger.*] tables for the hooks file. Each table header and setting is written as a line of
// an INI text at its own line number in the configuration file, so the INI file's own parser
// checks them with all its rules and messages, and each problem names the configuration file's
// line and the table it belongs to.
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <toml++/toml.h>
#include <vector>

#include "config/config_file.hpp"

namespace cogsync::config {

class toml_ini {
public:
    explicit toml_ini(std::string path) : path_(std::move(path)) {}

    // Adds each table under `tables` (the value of the top-level key `top`) as a section headed
    // "[<header_prefix><name>]", its values as `name = value` lines; values no INI line can carry
    // become problems. `form` names the expected tables in messages, e.g. "[sink.NAME]".
    void add_sections(const toml::node& tables, const std::string& top, const std::string& header_prefix,
                      const std::string& form, std::vector<file_problem>& problems);

    // The INI text: every line added at its line number, blank lines between.
    std::string text() const;

    // The INI parser's error "<path>:<line>: <what>" as a problem of the table holding that line.
    file_problem problem_of(const std::runtime_error& e) const;

private:
    std::string path_;
    std::map<int64_t, std::string> lines_;    // line number -> INI text
    std::map<int64_t, std::string> headers_;  // header line -> the table's key, e.g. "sink.devices"
    std::string first_top_;                   // the key of a problem before any table
};

// A TOML basic string holding `text`.
std::string toml_string(const std::string& text);

}  // namespace cogsync::config
