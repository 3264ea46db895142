#include "server/hooks/file_stream.hpp"

#include <fcntl.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "api/json_codec.hpp"

namespace cogsync::server {

file_stream::file_stream(const config::hook_section& h) : path_(h.get("path")), fsync_(h.get("fsync") != "never") {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd_ < 0) throw std::runtime_error("sink." + h.name + ": cannot open " + path_ + ": " + std::strerror(errno));
}

file_stream::~file_stream() {
    if (fd_ >= 0) ::close(fd_);
}

void file_stream::put(const stream_put& r) {
    rapidjson::StringBuffer buf;
    api::json_writer w(buf);
    w.StartObject();
    api::write_string_member(w, "eventId", r.event_id);
    api::write_string_member(w, "streamName", r.stream);
    api::write_string_member(w, "partitionKey", r.partition_key);
    w.Key("record");
    w.RawValue(r.data.data(), r.data.size(), rapidjson::kObjectType);
    w.EndObject();
    std::string line = std::string(buf.GetString(), buf.GetSize()) + "\n";
    // One write() with O_APPEND: the line lands whole at the end.
    const char* p = line.data();
    std::size_t left = line.size();
    while (left > 0) {
        auto n = ::write(fd_, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::runtime_error("write " + path_ + ": " + std::strerror(errno));
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    if (fsync_ && ::fdatasync(fd_) != 0) throw std::runtime_error("fsync " + path_ + ": " + std::strerror(errno));
}

}  // namespace cogsync::server
