#pragma once

// A bounded key -> server-name table for `stick on src` / `stick match|store`: when full, the
// least recently used entry is evicted (HAProxy evicts the oldest when the table fills).
// Not thread-safe: the backend lock guards it.

#include <list>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace octane::proxy {

class StickTable {
  public:
    explicit StickTable(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

    // Returns the server id stored for key, or -1.
    int lookup(const std::string& key) {
        auto it = map_.find(key);
        if (it == map_.end()) {
            return -1;
        }
        order_.splice(order_.begin(), order_, it->second.second);
        return it->second.first;
    }
    void store(const std::string& key, int server) {
        auto it = map_.find(key);
        if (it != map_.end()) {
            it->second.first = server;
            order_.splice(order_.begin(), order_, it->second.second);
            return;
        }
        if (map_.size() >= capacity_) {
            map_.erase(order_.back());
            order_.pop_back();
        }
        order_.push_front(key);
        map_.emplace(key, std::make_pair(server, order_.begin()));
    }
    size_t size() const { return map_.size(); }
    // (key, server id) from the least to the most recently used: replayed in this order, a copy
    // evicts the same entries first.
    std::vector<std::pair<std::string, int>> entries() const {
        std::vector<std::pair<std::string, int>> out;
        out.reserve(map_.size());
        for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
            out.emplace_back(*it, map_.at(*it).first);
        }
        return out;
    }

  private:
    size_t capacity_;
    std::list<std::string> order_;
    std::unordered_map<std::string, std::pair<int, std::list<std::string>::iterator>> map_;
};

}  // namespace octane::proxy
