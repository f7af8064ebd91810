#include "agent/process.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace octane::agent {
namespace {

constexpr size_t kMaxOutput = 1 << 20;

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
    std::vector<char*> out;
    for (const auto& arg : argv) {
        out.push_back(const_cast<char*>(arg.c_str()));
    }
    out.push_back(nullptr);
    return out;
}

std::vector<std::string> child_environment(const std::vector<std::string>& extra) {
    std::vector<std::string> out;
    auto overridden = [&extra](const char* entry) {
        for (const auto& e : extra) {
            size_t eq = e.find('=');
            if (eq != std::string::npos && std::strncmp(entry, e.c_str(), eq + 1) == 0) {
                return true;
            }
        }
        return false;
    };
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        if (!overridden(*e)) {
            out.emplace_back(*e);
        }
    }
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
}

// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void exec_child(char** argv, char** envp, int out_fd, int death_signal, pid_t parent,
                             int netns_fd) {
    if (netns_fd != -1 && setns(netns_fd, CLONE_NEWNET) == -1) {
        _exit(126);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    setpgid(0, 0);
    if (death_signal != 0) {
        prctl(PR_SET_PDEATHSIG, death_signal);
        if (getppid() != parent) {
            _exit(127);
        }
    }
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd != -1) {
        dup2(null_fd, STDIN_FILENO);
    }
    if (out_fd != -1) {
        dup2(out_fd, STDOUT_FILENO);
        dup2(out_fd, STDERR_FILENO);
    }
    execve(argv[0], argv, envp);
    const char message[] = "exec failed\n";
    ssize_t ignored = write(STDERR_FILENO, message, sizeof(message) - 1);
    (void)ignored;
    _exit(127);
}

// waitpid with a deadline: polls WNOHANG on a short period (a pidfd would avoid it, but the
// period is only paid while a process is being stopped).
bool wait_exit(pid_t pid, std::chrono::milliseconds limit, int* status) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid || (r == -1 && errno == ECHILD)) {
            return true;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

}  // namespace

Result<pid_t> spawn_process(const std::vector<std::string>& argv, const SpawnOptions& options) {
    if (argv.empty()) {
        return make_error("empty command");
    }
    int out_fd = -1;
    if (!options.output_file.empty()) {
        out_fd = open(options.output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    } else {
        out_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    }
    int netns_fd = -1;
    if (!options.netns.empty()) {
        std::string path = "/run/netns/" + options.netns;
        netns_fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (netns_fd == -1) {
            int saved = errno;
            if (out_fd != -1) {
                close(out_fd);
            }
            return make_error("cannot open network namespace " + path + ": " +
                              std::strerror(saved));
        }
    }
    auto args = c_argv(argv);
    // The environment is built before fork: setenv is not async-signal-safe.
    std::vector<std::string> env_strings = child_environment(options.extra_env);
    auto envp = c_argv(env_strings);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        exec_child(args.data(), envp.data(), out_fd,
                   options.die_with_parent ? options.death_signal : 0, parent, netns_fd);
    }
    int saved = errno;
    if (netns_fd != -1) {
        close(netns_fd);
    }
    if (out_fd != -1) {
        close(out_fd);
    }
    if (pid == -1) {
        return make_error(std::string("fork failed: ") + std::strerror(saved));
    }
    return pid;
}

Result<CommandOutcome> run_command(const std::vector<std::string>& argv,
                                   std::chrono::milliseconds timeout) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) == -1) {
        return make_error(std::string("pipe failed: ") + std::strerror(errno));
    }
    auto args = c_argv(argv);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        exec_child(args.data(), environ, pipe_fds[1], true, parent, -1);
    }
    close(pipe_fds[1]);
    if (pid == -1) {
        close(pipe_fds[0]);
        return make_error(std::string("fork failed: ") + std::strerror(errno));
    }
    CommandOutcome outcome;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[4096];
    while (true) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            outcome.timed_out = true;
            break;
        }
        pollfd pfd{pipe_fds[0], POLLIN, 0};
        int ready = poll(&pfd, 1, static_cast<int>(left.count()));
        if (ready == -1 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            outcome.timed_out = ready == 0;
            break;
        }
        ssize_t n = read(pipe_fds[0], buffer, sizeof(buffer));
        if (n == -1 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;  // EOF: the child closed its output (exited)
        }
        if (outcome.output.size() < kMaxOutput) {
            outcome.output.append(buffer, static_cast<size_t>(n));
        }
    }
    close(pipe_fds[0]);
    int status = 0;
    if (outcome.timed_out) {
        kill(pid, SIGKILL);
    }
    if (!wait_exit(pid, outcome.timed_out ? std::chrono::milliseconds(2000) : timeout, &status)) {
        kill(pid, SIGKILL);
        wait_exit(pid, std::chrono::milliseconds(2000), &status);
        outcome.timed_out = true;
    }
    outcome.exit_code = WIFEXITED(status) && !outcome.timed_out ? WEXITSTATUS(status) : -1;
    return outcome;
}

bool stop_process(pid_t pid, int signal, std::chrono::milliseconds grace) {
    int status = 0;
    if (kill(pid, signal) == -1 && errno == ESRCH) {
        return wait_exit(pid, std::chrono::milliseconds(100), &status);
    }
    if (wait_exit(pid, grace, &status)) {
        return true;
    }
    kill(pid, SIGKILL);
    return wait_exit(pid, std::chrono::milliseconds(2000), &status);
}

}  // namespace octane::agent
