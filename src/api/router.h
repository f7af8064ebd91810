#pragma once

// Method + path-pattern routing. Patterns are '/'-separated; a segment "{name}" captures one
// segment. First match in registration order wins; a path that matches with another method
// gives 405.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "http/http_message.h"

namespace octane::api {

using Params = std::map<std::string, std::string>;

template <typename Handler>
class Router {
  public:
    void add(std::string method, const std::string& pattern, Handler handler) {
        routes_.push_back({std::move(method), split_path(pattern), std::move(handler)});
    }

    enum class Outcome { kFound, kNotFound, kMethodNotAllowed };

    // On kFound, *handler and params are set.
    Outcome match(const std::string& method, const std::string& path, const Handler** handler,
                  Params& params) const {
        auto segments = split_path(path);
        bool path_matched = false;
        for (const auto& route : routes_) {
            Params captured;
            if (!matches(route.segments, segments, captured)) {
                continue;
            }
            path_matched = true;
            if (route.method == method || (method == "HEAD" && route.method == "GET")) {
                *handler = &route.handler;
                params = std::move(captured);
                return Outcome::kFound;
            }
        }
        return path_matched ? Outcome::kMethodNotAllowed : Outcome::kNotFound;
    }

    static std::vector<std::string> split_path(const std::string& path) {
        std::vector<std::string> out;
        size_t start = 0;
        while (start < path.size()) {
            size_t slash = path.find('/', start);
            if (slash == std::string::npos) {
                slash = path.size();
            }
            if (slash > start) {
                out.push_back(path.substr(start, slash - start));
            }
            start = slash + 1;
        }
        return out;
    }

  private:
    struct Route {
        std::string method;
        std::vector<std::string> segments;
        Handler handler;
    };

    static bool matches(const std::vector<std::string>& pattern,
                        const std::vector<std::string>& path, Params& captured) {
        if (pattern.size() != path.size()) {
            return false;
        }
        for (size_t i = 0; i < pattern.size(); ++i) {
            const auto& p = pattern[i];
            if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
                captured[p.substr(1, p.size() - 2)] = path[i];
            } else if (p != path[i]) {
                return false;
            }
        }
        return true;
    }

    std::vector<Route> routes_;
};

}  // namespace octane::api
