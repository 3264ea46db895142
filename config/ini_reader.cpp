#include "config/ini_reader.hpp"

#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cogsync::config {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string_view strip_comment(std::string_view line) {
    for (size_t i = 0; i < line.size(); ++i)
        if (line[i] == '#' && (i == 0 || std::isspace(static_cast<unsigned char>(line[i - 1]))))
            return line.substr(0, i);
    return line;
}

}  // namespace

ini_reader::ini_reader(std::string name, std::string section_form)
    : name_(std::move(name)), section_form_(std::move(section_form)) {}

void ini_reader::read(const std::string& text) {
    std::istringstream in(text);
    std::string raw;
    while (std::getline(in, raw)) {
        ++line_;
        auto l = trim(strip_comment(raw));
        if (l.empty()) continue;
        if (l.front() == '[') header(l);
        else setting(l);
    }
    end_section();
}

void ini_reader::fail(int line, const std::string& what) const {
    throw std::runtime_error(name_ + ":" + std::to_string(line) + ": " + what);
}

void ini_reader::header(std::string_view l) {
    end_section();
    if (l.back() != ']') fail(line_, "malformed section header, expected " + section_form_);
    on_section(std::string(trim(l.substr(1, l.size() - 2))));
    in_section_ = true;
    seen_.clear();
}

void ini_reader::setting(std::string_view l) {
    auto eq = l.find('=');
    if (eq == std::string_view::npos) fail(line_, "expected 'name = value'");
    auto name = std::string(trim(l.substr(0, eq)));
    auto value = std::string(trim(l.substr(eq + 1)));
    if (!in_section_) fail(line_, "setting '" + name + "' outside a " + section_form_ + " section");
    if (!seen_.insert(name).second) fail(line_, "repeated setting '" + name + "'");
    if (value.empty()) fail(line_, "empty value for '" + name + "'");
    on_setting(name, value);
}

void ini_reader::end_section() {
    if (!in_section_) return;
    on_section_end();
    in_section_ = false;
}

ini_list ini_reader::read_list(const std::string& value, const std::string& entry_error) const {
    ini_list list;
    if (value == "*") {
        list.all = true;
        return list;
    }
    std::istringstream in(value);
    std::string item;
    while (std::getline(in, item, ',')) {
        auto n = std::string(trim(item));
        if (n.empty() || n == "*") fail(line_, entry_error);
        list.names.push_back(n);
    }
    return list;
}

std::string read_config_file(const std::string& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ":0: cannot open the " + what + " file");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace cogsync::config
