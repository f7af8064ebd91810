#include "proxy/loop/timer_heap.h"

namespace octane::proxy {

void TimerHeap::arm(Timer& t, int64_t deadline_ms) {
    if (t.armed()) {
        int64_t old = t.deadline_;
        t.deadline_ = deadline_ms;
        if (deadline_ms < old) {
            sift_up(t.index_);
        } else {
            sift_down(t.index_);
        }
        return;
    }
    t.deadline_ = deadline_ms;
    heap_.push_back(&t);
    t.index_ = heap_.size() - 1;
    sift_up(t.index_);
}

void TimerHeap::cancel(Timer& t) {
    if (!t.armed()) {
        return;
    }
    size_t i = t.index_;
    Timer* last = heap_.back();
    heap_.pop_back();
    t.index_ = Timer::kNone;
    if (last != &t) {
        place(i, last);
        sift_up(i);
        sift_down(last->index_);
    }
}

Timer* TimerHeap::pop_due(int64_t now_ms) {
    if (heap_.empty() || heap_.front()->deadline_ > now_ms) {
        return nullptr;
    }
    Timer* t = heap_.front();
    cancel(*t);
    return t;
}

void TimerHeap::sift_up(size_t i) {
    Timer* t = heap_[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (heap_[parent]->deadline_ <= t->deadline_) {
            break;
        }
        place(i, heap_[parent]);
        i = parent;
    }
    place(i, t);
}

void TimerHeap::sift_down(size_t i) {
    Timer* t = heap_[i];
    size_t n = heap_.size();
    while (true) {
        size_t child = 2 * i + 1;
        if (child >= n) {
            break;
        }
        if (child + 1 < n && heap_[child + 1]->deadline_ < heap_[child]->deadline_) {
            ++child;
        }
        if (heap_[child]->deadline_ >= t->deadline_) {
            break;
        }
        place(i, heap_[child]);
        i = child;
    }
    place(i, t);
}

}  // namespace octane::proxy
