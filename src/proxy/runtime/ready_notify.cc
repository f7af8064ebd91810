#include "proxy/runtime/ready_notify.h"

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace octane::proxy {

void notify_ready() {
    const char* target = std::getenv("NOTIFY_SOCKET");
    if (target == nullptr || target[0] == '\0') {
        return;
    }
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    size_t length = std::strlen(target);
    if (length >= sizeof(addr.sun_path)) {
        return;
    }
    std::memcpy(addr.sun_path, target, length);
    if (addr.sun_path[0] == '@') {
        addr.sun_path[0] = '\0';  // abstract namespace
    }
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd == -1) {
        return;
    }
    std::string message = "READY=1\nMAINPID=" + std::to_string(getpid()) + "\n";
    auto size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length);
    (void)sendto(fd, message.data(), message.size(), MSG_NOSIGNAL,
                 reinterpret_cast<const sockaddr*>(&addr), size);
    close(fd);
}

}  // namespace octane::proxy
