#include "server/hooks/stream_directory.hpp"

#include <filesystem>
#include <stdexcept>

namespace cogsync::server {

namespace {

bool plain_file_name(const std::string& s) {
    return !s.empty() && s != "." && s != ".." &&
           s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == std::string::npos;
}

}  // namespace

stream_directory::stream_directory(const config::hook_section& h) : section_(h) {
    std::filesystem::create_directories(h.get("dir"));
}

void stream_directory::put(const stream_put& r) {
    auto it = files_.find(r.stream);
    if (it == files_.end()) {
        if (!plain_file_name(r.stream)) throw std::runtime_error("StreamName '" + r.stream + "' is not a file name");
        auto section = section_;
        section.settings["path"] = (std::filesystem::path(section_.get("dir")) / (r.stream + ".ndjson")).string();
        it = files_.emplace(r.stream, std::make_unique<file_stream>(section)).first;
    }
    it->second->put(r);
}

}  // namespace cogsync::server
