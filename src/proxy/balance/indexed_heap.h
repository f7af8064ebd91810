#pragma once

// A binary min-heap of server ids that knows where each id sits, so a server whose key changed
// moves up or down in O(log n) and can leave from anywhere. Contiguous and allocation-free once
// sized: at 2 to 100 servers it is several times cheaper than a node-based tree, and the
// balancers update it on every pick, take and release. `Less` compares two ids by their keys,
// which the owner stores and changes before calling update().

#include <cstddef>
#include <utility>
#include <vector>

namespace octane::proxy::balance {

template <typename Less>
class IndexedHeap {
  public:
    IndexedHeap(size_t ids, Less less) : pos_(ids, kAbsent), less_(less) {}

    bool empty() const { return heap_.empty(); }
    size_t size() const { return heap_.size(); }
    const std::vector<int>& ids() const { return heap_; }  // in heap order
    int top() const { return heap_[0]; }
    // The smallest id other than top(), -1 when there is none.
    int second() const {
        if (heap_.size() < 3) {
            return heap_.size() == 2 ? heap_[1] : -1;
        }
        return less_(heap_[2], heap_[1]) ? heap_[2] : heap_[1];
    }

    void push(int id) {
        pos_[id] = heap_.size();
        heap_.push_back(id);
        up(heap_.size() - 1);
    }
    void erase(int id) {
        size_t i = pos_[id];
        int last = heap_.back();
        heap_.pop_back();
        pos_[id] = kAbsent;
        if (i < heap_.size()) {
            place(last, i);
            update(last);
        }
    }
    // The key of `id` changed.
    void update(int id) {
        if (!up(pos_[id])) {
            down(pos_[id]);
        }
    }

  private:
    static constexpr size_t kAbsent = static_cast<size_t>(-1);

    void place(int id, size_t i) {
        heap_[i] = id;
        pos_[id] = i;
    }
    bool up(size_t i) {
        int id = heap_[i];
        size_t start = i;
        while (i > 0 && less_(id, heap_[(i - 1) / 2])) {
            place(heap_[(i - 1) / 2], i);
            i = (i - 1) / 2;
        }
        place(id, i);
        return i != start;
    }
    void down(size_t i) {
        int id = heap_[i];
        size_t n = heap_.size();
        for (;;) {
            size_t child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && less_(heap_[child + 1], heap_[child])) {
                ++child;
            }
            if (!less_(heap_[child], id)) {
                break;
            }
            place(heap_[child], i);
            i = child;
        }
        place(id, i);
    }

    std::vector<int> heap_;
    std::vector<size_t> pos_;
    Less less_;
};

}  // namespace octane::proxy::balance
