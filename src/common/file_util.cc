#include "common/file_util.h"

#include <atomic>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace octane {

Result<void> write_file_atomic(const std::string& path, std::string_view content, mode_t mode) {
    // Unique per process and call, so concurrent writers of one path never share a temp file.
    static std::atomic<uint64_t> counter{0};
    std::string temp = path + ".tmp." + std::to_string(getpid()) + "." + std::to_string(++counter);
    int fd = open(temp.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, mode);
    if (fd == -1) {
        return make_error("cannot create " + temp + ": " + std::strerror(errno));
    }
    fchmod(fd, mode);
    size_t done = 0;
    while (done < content.size()) {
        ssize_t n = write(fd, content.data() + done, content.size() - done);
        if (n == -1 && errno == EINTR) {
            continue;
        }
        if (n == -1) {
            int saved = errno;
            close(fd);
            unlink(temp.c_str());
            return make_error("cannot write " + temp + ": " + std::strerror(saved));
        }
        done += static_cast<size_t>(n);
    }
    close(fd);
    if (rename(temp.c_str(), path.c_str()) == -1) {
        int saved = errno;
        unlink(temp.c_str());
        return make_error("cannot rename to " + path + ": " + std::strerror(saved));
    }
    return {};
}

Result<void> write_port_file(const std::string& path, uint16_t port) {
    return write_file_atomic(path, std::to_string(port) + "\n", 0644);
}

}  // namespace octane
