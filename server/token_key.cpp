#include "server/token_key.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "api/token_codec.hpp"

namespace cogsync::server {
namespace {

constexpr std::size_t key_size = 32;

std::string read_key(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {};
    std::string key(key_size, '\0');
    ssize_t n = ::read(fd, key.data(), key.size());
    ::close(fd);
    if (n != static_cast<ssize_t>(key_size)) throw std::runtime_error(path + " is damaged: expected 32 bytes");
    return key;
}

}  // namespace

std::string load_or_create_token_key(const std::string& data_dir) {
    std::string path = data_dir + "/token.key";
    if (auto key = read_key(path); !key.empty()) return key;
    std::string key = api::token_codec::random_bytes(key_size);
    std::string tmp = path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + tmp + ": " + std::strerror(errno));
    bool ok = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
    ::close(fd);
    // link() fails if another process won the race; then its key is the one to use.
    if (!ok || (::link(tmp.c_str(), path.c_str()) != 0 && errno != EEXIST)) {
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    }
    ::unlink(tmp.c_str());
    return read_key(path);
}

}  // namespace cogsync::server
