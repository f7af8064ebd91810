#include "common/private_dir.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <sys/stat.h>
#include <unistd.h>

namespace octane {

Result<void> ensure_private_dir(const std::string& path) {
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) {
        std::filesystem::create_directories(parent, ec);
        if (ec) {
            return make_error("cannot create " + parent.string() + ": " + ec.message());
        }
    }
    if (mkdir(path.c_str(), 0700) == -1 && errno != EEXIST) {
        return make_error("cannot create " + path + ": " + std::strerror(errno));
    }
    struct stat st {};
    if (lstat(path.c_str(), &st) == -1) {
        return make_error("cannot inspect " + path + ": " + std::strerror(errno));
    }
    if (!S_ISDIR(st.st_mode)) {
        return make_error(path + " is not a directory (a symbolic link is refused)");
    }
    if (st.st_uid != geteuid()) {
        return make_error(path + " belongs to uid " + std::to_string(st.st_uid) + ", not to us");
    }
    if ((st.st_mode & 07777) != 0700 && chmod(path.c_str(), 0700) == -1) {
        return make_error("cannot make " + path + " private: " + std::strerror(errno));
    }
    return {};
}

std::string private_socket_dir() {
    return "/tmp/octane-" + std::to_string(geteuid());
}

}  // namespace octane
