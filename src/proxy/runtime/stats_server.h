#pragma once

// The UNIX stats socket (`stats socket PATH mode M level L`): one command line per connection
// (`;`-separated commands allowed), answered and closed, as HAProxy's non-interactive mode.
// Runs on one worker loop.

#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "proxy/loop/event_loop.h"

namespace octane::proxy {

class StatsServer final : public IoHandler {
  public:
    // `handler` turns one command into its reply text.
    using CommandHandler = std::function<std::string(const std::string& command)>;
    StatsServer(EventLoop& loop, CommandHandler handler)
        : loop_(loop), handler_(std::move(handler)) {}
    ~StatsServer();

    // Binds the socket (replacing a stale file at `path`) and applies `mode` if non-zero.
    Result<void> listen(const std::string& path, unsigned mode);
    void on_io(uint32_t events, unsigned tag) override;

  private:
    EventLoop& loop_;
    CommandHandler handler_;
    int fd_ = -1;
};

// Splits "show stat;show info" into commands and concatenates their replies.
std::string run_command_line(const std::string& line, const StatsServer::CommandHandler& handler);

}  // namespace octane::proxy
