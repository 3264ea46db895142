#pragma once
// The line format shared by the credentials and hooks files (config/credentials.hpp,
// config/hooks_config.hpp): [section] headers and `name = value` settings, one per line; blank
// lines ignored; '#' starts a comment at the start of a line or after whitespace; names, values and
// section titles trimmed. Every error throws std::runtime_error("<name>:<line>: <what>"), the
// messages the unit tests in tests/unit/config pin.
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cogsync::config {

// A value that is either "*" or a comma list of non-empty names.
struct ini_list {
    bool all = false;
    std::vector<std::string> names;
};

// Reads the lines and checks what every file of this format shares; a file's own rules live in the
// three hooks. `section_form` names the expected header in messages, e.g. "[ACCESS_KEY_ID]".
class ini_reader {
public:
    ini_reader(std::string name, std::string section_form);
    virtual ~ini_reader() = default;

protected:
    // Reads all of `text`: on_section_end() runs before each later header and after the last line.
    void read(const std::string& text);

    // A header "[title]" (title trimmed); the previous section has ended.
    virtual void on_section(const std::string& title) = 0;
    // A setting inside a section, with its first occurrence there and a non-empty value.
    virtual void on_setting(const std::string& name, const std::string& value) = 0;
    // The current section is complete (called only when one was started).
    virtual void on_section_end() = 0;

    [[noreturn]] void fail(int line, const std::string& what) const;
    // "*" or a comma list; an empty or "*" entry fails with `entry_error`.
    ini_list read_list(const std::string& value, const std::string& entry_error) const;
    int line() const { return line_; }
    // Whether the current section has the setting `name`.
    bool has(const std::string& name) const { return seen_.count(name) != 0; }

private:
    void header(std::string_view l);
    void setting(std::string_view l);
    void end_section();

    std::string name_;
    std::string section_form_;
    int line_ = 0;
    bool in_section_ = false;
    std::set<std::string> seen_;
};

// The whole file at `path`; throws "<path>:0: cannot open the <what> file" when it cannot be read.
std::string read_config_file(const std::string& path, const std::string& what);

}  // namespace cogsync::config
