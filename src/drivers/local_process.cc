#include "drivers/local_process.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <thread>

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace octane::drivers {

bool process_alive(pid_t pid) {
    if (pid <= 0) {
        return false;
    }
    if (kill(pid, 0) == -1 && errno == ESRCH) {
        return false;
    }
    // A zombie still answers kill(0); /proc/<pid>/stat says 'Z'.
    std::string stat_path = "/proc/" + std::to_string(pid) + "/stat";
    int fd = open(stat_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd == -1) {
        return false;
    }
    char buffer[512] = {};
    ssize_t n = read(fd, buffer, sizeof buffer - 1);
    close(fd);
    std::string stat(buffer, n > 0 ? static_cast<size_t>(n) : 0);
    size_t paren = stat.rfind(')');
    return !(paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z');
}

namespace {

// Paths made absolute before fork: the child of a threaded process may only make async-signal-safe
// calls (no allocation), so it gets ready-made C strings.
struct DiskPlan {
    std::string disk;
    std::vector<std::string> dirs;
    std::vector<std::pair<std::string, const std::string*>> files;
    std::vector<std::string> scratch;
};

DiskPlan plan_disk(const PrivateDisk& disk) {
    DiskPlan plan{disk.disk, {}, {}, disk.scratch};
    for (const auto& dir : disk.dirs) {
        plan.dirs.push_back(disk.disk + "/" + dir);
    }
    for (const auto& [name, content] : disk.files) {
        plan.files.emplace_back(disk.disk + "/" + name, &content);
    }
    return plan;
}

bool write_all(int fd, const std::string& text) {
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = write(fd, text.data() + done, text.size() - done);
        if (n <= 0) {
            return false;
        }
        done += static_cast<size_t>(n);
    }
    return true;
}

// In the intermediate child: a mount namespace of its own, the tmpfs mounts, the config drive.
// Returns the step that failed (errno tells why), or nullptr.
const char* make_private_disk(const DiskPlan& plan) {
    if (unshare(CLONE_NEWNS) == -1) {
        return "unshare(CLONE_NEWNS)";
    }
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == -1) {
        return "making / private";
    }
    if (mount("tmpfs", plan.disk.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") == -1) {
        return "mounting the disk";
    }
    for (const auto& dir : plan.scratch) {
        if (mount("tmpfs", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") == -1) {
            return "mounting a scratch directory";
        }
    }
    for (const auto& dir : plan.dirs) {
        if (mkdir(dir.c_str(), 0700) == -1 && errno != EEXIST) {
            return "making a directory";
        }
    }
    for (const auto& [path, content] : plan.files) {
        int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd == -1) {
            return "creating a config drive file";
        }
        bool written = write_all(fd, *content);
        close(fd);
        if (!written) {
            return "writing a config drive file";
        }
    }
    return nullptr;
}

// Async-signal-safe: the step and errno, as decimal, to the log.
void report_failure(int fd, const char* step, int error) {
    char digits[16];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + error % 10);
        error /= 10;
    } while (error > 0 && n < 15);
    const char prefix[] = "private disk: ";
    const char middle[] = " failed, errno ";
    ssize_t ignored = write(fd, prefix, sizeof prefix - 1);
    ignored = write(fd, step, strlen(step));
    ignored = write(fd, middle, sizeof middle - 1);
    while (n > 0) {
        ignored = write(fd, &digits[--n], 1);
    }
    ignored = write(fd, "\n", 1);
    (void)ignored;
}

}  // namespace

Result<pid_t> spawn_detached(const std::vector<std::string>& argv, const std::string& log_path,
                             const std::string& netns, const PrivateDisk* disk) {
    std::optional<DiskPlan> disk_plan;
    if (disk != nullptr) {
        disk_plan = plan_disk(*disk);
    }
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    int netns_fd = -1;
    if (!netns.empty()) {
        std::string path = "/run/netns/" + netns;
        netns_fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (netns_fd == -1) {
            return make_error("cannot open network namespace " + path + ": " +
                              std::strerror(errno));
        }
    }
    int report[2];
    if (pipe2(report, O_CLOEXEC) == -1) {
        if (netns_fd != -1) {
            close(netns_fd);
        }
        return make_error("pipe failed");
    }
    pid_t child = fork();
    if (child == -1) {
        close(report[0]);
        close(report[1]);
        if (netns_fd != -1) {
            close(netns_fd);
        }
        return make_error("fork failed");
    }
    if (child == 0) {
        // Intermediate child: new session, namespace, fork the daemon, report its pid, exit.
        setsid();
        if (netns_fd != -1 && setns(netns_fd, CLONE_NEWNET) == -1) {
            _exit(1);
        }
        // Opened before a private /tmp may hide it: the log is the host's, not the VM's.
        int out = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0640);
        if (disk_plan) {
            if (const char* failed = make_private_disk(*disk_plan); failed != nullptr) {
                report_failure(out, failed, errno);
                _exit(1);
            }
        }
        pid_t daemon_pid = fork();
        if (daemon_pid == 0) {
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, nullptr);
            int in = open("/dev/null", O_RDONLY);
            if (in >= 0) {
                dup2(in, 0);
            }
            if (out >= 0) {
                dup2(out, 1);
                dup2(out, 2);
            }
            // A daemon outlives us: it must not keep our listening sockets (the API port) or
            // any other descriptor open.
            close_range(3, ~0U, 0);
            execv(args[0], args.data());
            _exit(127);
        }
        ssize_t ignored = write(report[1], &daemon_pid, sizeof daemon_pid);
        (void)ignored;
        _exit(daemon_pid > 0 ? 0 : 1);
    }
    close(report[1]);
    if (netns_fd != -1) {
        close(netns_fd);
    }
    pid_t daemon_pid = -1;
    ssize_t got = read(report[0], &daemon_pid, sizeof daemon_pid);
    close(report[0]);
    int status = 0;
    waitpid(child, &status, 0);
    if (got != sizeof daemon_pid || daemon_pid <= 0) {
        return make_error("could not start " + argv[0]);
    }
    return daemon_pid;
}

void stop_process(pid_t pid, std::chrono::milliseconds grace) {
    stop_processes({pid}, grace);
}

bool process_matches(pid_t pid, const std::string& marker) {
    if (!process_alive(pid)) {
        return false;
    }
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return cmdline.find(marker) != std::string::npos;
}

std::vector<pid_t> processes_matching(const std::string& marker) {
    std::vector<pid_t> found;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        auto pid = static_cast<pid_t>(std::stol(name));
        if (pid != getpid() && process_matches(pid, marker)) {
            found.push_back(pid);
        }
    }
    return found;
}

void stop_processes(const std::vector<pid_t>& pids, std::chrono::milliseconds grace) {
    auto signal_alive = [&](int signal) {
        for (pid_t pid : pids) {
            if (process_alive(pid)) {
                kill(pid, signal);
            }
        }
    };
    auto wait_gone = [&](std::chrono::milliseconds limit) {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::any_of(pids.begin(), pids.end(), process_alive) &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    };
    signal_alive(SIGTERM);
    wait_gone(grace);
    signal_alive(SIGKILL);
    wait_gone(std::chrono::seconds(5));
}

}  // namespace octane::drivers
