// The default stream transport (server/hooks/stream_directory.hpp): one file per StreamName under
// its directory, and the default hooks of a server without a hooks file.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "server/hooks/hook_registry.hpp"
#include "server/hooks/stream_directory.hpp"

using namespace cogsync;
using namespace cogsync::server;

namespace {

struct temp_dir {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("cogsync-streams-" + std::to_string(::getpid()) + "-" + std::to_string(rand()));
    ~temp_dir() { std::filesystem::remove_all(path); }
};

std::string read_all(const std::filesystem::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("stream_directory: a file per stream, and no name that leaves the directory") {
    temp_dir tmp;
    auto c = default_hooks(tmp.path.string());
    REQUIRE(c.sinks.size() == 1);
    auto built = build_hooks(c, "");
    CHECK(built.serves_stream("any-name"));
    CHECK(built.change_consumers == 1);

    stream_directory d(c.sinks[0]);
    d.put({"cogsync-1", "one", "id", R"({"a":1})"});
    d.put({"cogsync-2", "two", "id", R"({"a":2})"});
    d.put({"cogsync-3", "one", "id", R"({"a":3})"});
    auto one = read_all(tmp.path / "streams" / "one.ndjson");
    CHECK(one.find("cogsync-1") != std::string::npos);
    CHECK(one.find("cogsync-3") != std::string::npos);
    CHECK(read_all(tmp.path / "streams" / "two.ndjson").find("cogsync-2") != std::string::npos);
    for (const char* bad : {"..", "../escape", "a/b", "", "x\n"})
        CHECK_THROWS(d.put({"cogsync-4", bad, "id", "{}"}));
}
