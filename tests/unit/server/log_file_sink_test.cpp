#include <catch2/catch.hpp>

#include <spdlog/pattern_formatter.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include "server/log_file_sink.hpp"

using namespace cogsync::server;
namespace fs = std::filesystem;

namespace {

struct temp_dir {
    fs::path path = fs::temp_directory_path() / ("cogsync-log-" + std::to_string(::getpid()) + "-" +
                                                 std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    temp_dir() { fs::create_directories(path); }
    ~temp_dir() { fs::remove_all(path); }
};

void log(log_file_sink& sink, const std::string& text) {
    spdlog::details::log_msg msg("cogsync", spdlog::level::info, text);
    sink.log(msg);
}

std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("the log file is created with mode 0640 and appended to") {
    temp_dir dir;
    auto path = dir.path / "cogsync.log";
    {
        std::ofstream(path) << "kept\n";
        fs::remove(path);
    }
    auto old_mask = ::umask(0);
    log_file_sink sink(path.string());
    ::umask(old_mask);
    sink.set_formatter(std::make_unique<spdlog::pattern_formatter>("%v"));
    log(sink, "one");
    log(sink, "two");
    struct stat st{};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
    CHECK(read(path) == "one\ntwo\n");
    log_file_sink again(path.string());
    again.set_formatter(std::make_unique<spdlog::pattern_formatter>("%v"));
    log(again, "three");
    CHECK(read(path) == "one\ntwo\nthree\n");
}

TEST_CASE("after the file is moved, lines go to it until reopen, then to a new file") {
    temp_dir dir;
    auto path = dir.path / "cogsync.log", moved = dir.path / "cogsync.log.1";
    log_file_sink sink(path.string());
    sink.set_formatter(std::make_unique<spdlog::pattern_formatter>("%v"));
    log(sink, "before");
    fs::rename(path, moved);
    log(sink, "between");
    CHECK_FALSE(sink.reopen().has_value());
    log(sink, "after");
    CHECK(read(moved) == "before\nbetween\n");
    CHECK(read(path) == "after\n");
}

TEST_CASE("a log file that cannot be opened is refused, and a failed reopen keeps the old file") {
    temp_dir dir;
    CHECK_THROWS_WITH(log_file_sink((dir.path / "missing" / "x.log").string()),
                      Catch::Contains("cannot open the log file") && Catch::Contains("missing/x.log"));
    auto sub = dir.path / "sub";
    fs::create_directories(sub);
    log_file_sink sink((sub / "x.log").string());
    sink.set_formatter(std::make_unique<spdlog::pattern_formatter>("%v"));
    fs::rename(sub / "x.log", dir.path / "x.log.1");
    fs::remove(sub);
    auto error = sink.reopen();
    REQUIRE(error.has_value());
    CHECK_THAT(*error, Catch::Contains("cannot reopen the log file"));
    log(sink, "still");
    CHECK(read(dir.path / "x.log.1") == "still\n");
}
