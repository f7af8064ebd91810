#include "proxy/tls/cert_names.h"

#include <algorithm>
#include <cctype>

namespace octane::proxy::tls {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

}  // namespace

void CertSelector::add(int index, const std::vector<std::string>& names,
                       const std::vector<std::string>& exclusions) {
    for (const std::string& raw : names) {
        std::string n = lower(raw);
        if (n.starts_with("*.") && n.size() > 2) {
            wildcard_[n.substr(2)].indexes.push_back(index);
        } else if (!n.empty()) {
            exact_[n].indexes.push_back(index);
        }
    }
    for (const std::string& e : exclusions) {
        exclusions_[index].push_back(lower(e));
    }
}

int CertSelector::first_allowed(const Candidates& c, const std::string& name) const {
    for (int idx : c.indexes) {
        auto ex = exclusions_.find(idx);
        if (ex == exclusions_.end() ||
            std::find(ex->second.begin(), ex->second.end(), name) == ex->second.end()) {
            return idx;
        }
    }
    return -1;
}

int CertSelector::select(std::string_view server_name) const {
    if (server_name.empty()) {
        return 0;
    }
    std::string name = lower(server_name);
    if (auto it = exact_.find(name); it != exact_.end()) {
        if (int idx = first_allowed(it->second, name); idx >= 0) {
            return idx;
        }
    }
    if (size_t dot = name.find('.'); dot != std::string::npos) {
        if (auto it = wildcard_.find(name.substr(dot + 1)); it != wildcard_.end()) {
            if (int idx = first_allowed(it->second, name); idx >= 0) {
                return idx;
            }
        }
    }
    return 0;
}

}  // namespace octane::proxy::tls
