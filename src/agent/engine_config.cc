#include "agent/engine_config.h"

#include <sstream>

#include "common/strings.h"

namespace octane::agent {
namespace {

std::vector<std::string> words(std::string_view line) {
    std::vector<std::string> out;
    std::istringstream in{std::string(line)};
    std::string word;
    while (in >> word) {
        out.push_back(word);
    }
    return out;
}

}  // namespace

EngineConfigSummary summarize_engine_config(std::string_view text) {
    EngineConfigSummary summary;
    std::string section;
    for (const auto& raw : split(text, '\n')) {
        std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#') {
            continue;
        }
        auto w = words(line);
        bool indented = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
        if (!indented &&
            (w[0] == "global" || w[0] == "defaults" || w[0] == "frontend" || w[0] == "backend" ||
             w[0] == "listen" || w[0] == "peers" || w[0] == "userlist" || w[0] == "resolvers")) {
            section = w[0];
            if ((section == "frontend" || section == "listen") && w.size() > 1) {
                summary.frontends.push_back({w[1], "TCP"});
            }
            continue;
        }
        if (section == "global" && w.size() >= 3 && w[0] == "stats" && w[1] == "socket" &&
            summary.stats_socket.empty()) {
            summary.stats_socket = w[2];
        } else if ((section == "frontend" || section == "listen") && w.size() >= 2 &&
                   w[0] == "mode" && !summary.frontends.empty()) {
            std::string mode = w[1];
            for (char& c : mode) {
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            }
            summary.frontends.back().mode = mode;
        }
    }
    return summary;
}

}  // namespace octane::agent
