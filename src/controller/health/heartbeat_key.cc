#include "controller/health/heartbeat_key.h"

#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <openssl/rand.h>
#include <unistd.h>

namespace octane::controller::health {
namespace {

Result<std::string> random_hex_key() {
    std::array<unsigned char, 32> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        return make_error("cannot generate a heartbeat key: no randomness");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out += kHex[b >> 4];
        out += kHex[b & 0xf];
    }
    return out;
}

// Written to a private temp file, then link()ed into place: link fails when the name exists, so
// when two daemons over one state dir start together one key wins, and no reader ever sees a
// half-written file.
Result<void> create_key_file(const std::string& path) {
    auto key = random_hex_key();
    if (!key) {
        return Unexpected(key.error());
    }
    std::string temp = path + "." + std::to_string(::getpid()) + ".tmp";
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd == -1) {
        return make_error("cannot create " + temp + ": " + std::strerror(errno));
    }
    std::string text = *key + "\n";
    ssize_t written = ::write(fd, text.data(), text.size());
    bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (written != static_cast<ssize_t>(text.size()) || !synced) {
        ::unlink(temp.c_str());
        return make_error("cannot write " + temp);
    }
    int linked = ::link(temp.c_str(), path.c_str());
    int link_errno = errno;
    ::unlink(temp.c_str());
    if (linked != 0 && link_errno != EEXIST) {
        return make_error("cannot create " + path + ": " + std::strerror(link_errno));
    }
    return {};
}

}  // namespace

Result<std::string> load_or_create_heartbeat_key(const std::string& state_dir) {
    std::string path = state_dir + "/" + kHeartbeatKeyFile;
    if (::access(path.c_str(), F_OK) != 0) {
        if (auto created = create_key_file(path); !created) {
            return Unexpected(created.error());
        }
    }
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
        return make_error("cannot read " + path);
    }
    std::string key = text.str();
    while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) {
        key.pop_back();
    }
    if (key.empty()) {
        return make_error(path + " is empty");
    }
    return key;
}

}  // namespace octane::controller::health
