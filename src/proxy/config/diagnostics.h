#pragma once

// Collects every configuration problem with its file:line, so one `-c` run reports them all
// (HAProxy's ERR_ALERT accumulation) instead of stopping at the first.

#include <string>
#include <vector>

#include "proxy/config/model.h"

namespace octane::proxy::config {

class Diagnostics {
  public:
    void error(const Location& loc, const std::string& msg) {
        errors_.push_back(loc.str() + ": " + msg);
    }
    void error(const std::string& msg) { errors_.push_back(msg); }
    void warning(const Location& loc, const std::string& msg) {
        warnings_.push_back(loc.str() + ": " + msg);
    }
    void warning(const std::string& msg) { warnings_.push_back(msg); }

    bool ok() const { return errors_.empty(); }
    const std::vector<std::string>& errors() const { return errors_; }
    const std::vector<std::string>& warnings() const { return warnings_; }

  private:
    std::vector<std::string> errors_;
    std::vector<std::string> warnings_;
};

}  // namespace octane::proxy::config
