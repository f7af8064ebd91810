#pragma once

// Method + path-pattern routing, the one route table of every HTTP surface (the Octavia API,
// Keystone, Neutron, Barbican, the amphora agent), as Octavia's add_url_rule list. Patterns are
// '/'-separated; a segment "{name}" captures one segment. Empty segments are ignored, so a
// trailing slash (or a doubled one) matches the same route. First match in registration order
// wins; a path that matches only with other methods gives kMethodNotAllowed, which each surface
// answers with its own 405 body. HEAD is served by the GET route unless a HEAD route comes first.

#include <map>
#include <string>
#include <vector>

namespace octane::http {

using Params = std::map<std::string, std::string>;

template <typename Handler>
class Router {
  public:
    enum class Outcome { kFound, kNotFound, kMethodNotAllowed };

    struct Match {
        Outcome outcome = Outcome::kNotFound;
        const Handler* handler = nullptr;  // set on kFound
        Params params;                     // the captured segments on kFound
    };

    void add(std::string method, const std::string& pattern, Handler handler) {
        routes_.push_back({std::move(method), split_path(pattern), std::move(handler)});
    }

    Match find(const std::string& method, const std::string& path) const {
        auto segments = split_path(path);
        Match out;
        for (const auto& route : routes_) {
            Params captured;
            if (!matches(route.segments, segments, captured)) {
                continue;
            }
            out.outcome = Outcome::kMethodNotAllowed;
            if (route.method == method || (method == "HEAD" && route.method == "GET")) {
                return {Outcome::kFound, &route.handler, std::move(captured)};
            }
        }
        return out;
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

}  // namespace octane::http
