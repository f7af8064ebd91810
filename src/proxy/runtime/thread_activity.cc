#include "proxy/runtime/thread_activity.h"

namespace octane::proxy {
namespace {

void append_row(std::string& out, const char* name, const std::vector<ThreadActivity>& threads,
                std::atomic<uint64_t> ThreadActivity::*field) {
    uint64_t total = 0;
    std::string per_thread;
    for (const ThreadActivity& t : threads) {
        uint64_t v = (t.*field).load(std::memory_order_relaxed);
        total += v;
        per_thread += ' ' + std::to_string(v);
    }
    out += name;
    out += ": " + std::to_string(total) + " [" + per_thread + " ]\n";
}

}  // namespace

std::string render_show_activity(const std::vector<ThreadActivity>& threads, int answering_thread) {
    std::string out = "thread_id: " + std::to_string(answering_thread) + " (1.." +
                      std::to_string(threads.size()) + ")\n";
    append_row(out, "accepted", threads, &ThreadActivity::accepted);
    append_row(out, "accq_pushed", threads, &ThreadActivity::accq_pushed);
    append_row(out, "sockmap_joined", threads, &ThreadActivity::sockmap_joined);
    out += "\n";
    return out;
}

}  // namespace octane::proxy
