#include "agent/stats_socket.h"

#include <cerrno>
#include <cstring>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace octane::agent {

Result<std::string> query_stats_socket(const std::string& path, const std::string& command,
                                       std::chrono::milliseconds timeout) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof(address.sun_path)) {
        return make_error("stats socket path too long: " + path);
    }
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd == -1) {
        return make_error(std::string("socket: ") + std::strerror(errno));
    }
    auto fail = [fd](const std::string& message) {
        close(fd);
        return make_error(message);
    };
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == -1) {
        return fail("cannot connect to " + path + ": " + std::strerror(errno));
    }
    std::string line = command + "\n";
    if (send(fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) {
        return fail("cannot write to " + path);
    }
    std::string out;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[16384];
    while (true) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            return fail("timeout reading " + path);
        }
        pollfd pfd{fd, POLLIN, 0};
        int ready = poll(&pfd, 1, static_cast<int>(left.count()));
        if (ready == -1 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            return fail("timeout reading " + path);
        }
        ssize_t n = read(fd, buffer, sizeof(buffer));
        if (n == -1 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        out.append(buffer, static_cast<size_t>(n));
    }
    close(fd);
    return out;
}

}  // namespace octane::agent
