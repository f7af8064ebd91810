#pragma once

// The I/O side of one `peers` section: listens on our own peer line's address, connects to every
// other peer (reconnecting with backoff), runs a Session per connection on its own thread, and
// moves entries between the sessions and the engine's stick tables (TableBinding).
//
// On a new connection each side pushes its whole table (so a restarted BACKUP learns it at once)
// and, until it has been taught once, asks for a full resync (what HAProxy needs to teach us).
// Reload: the listener is handed to the new process with the others (runtime/handoff.h); on soft
// stop the old process connects to its own peer address, now served by the new process, and
// teaches it everything as our "local peer", the way HAProxy's old process does.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "proxy/io/address.h"
#include "proxy/peers/session.h"
#include "proxy/peers/wire.h"

namespace octane::proxy::peers {

struct TableBinding {
    TableDefinition def;
    // Every entry the engine holds, oldest first.
    std::function<std::vector<Entry>()> entries;
    // An entry a peer sent.
    std::function<void(const Entry&)> learn;
};

struct ServiceConfig {
    std::string section;
    std::string local_name;
    Endpoint local;
    std::vector<std::pair<std::string, Endpoint>> remotes;
    std::vector<TableBinding> tables;  // definition ids are set to index + 1
    int inherited_fd = -1;             // our peer listener, from the process we replace
};

class Service {
  public:
    static Result<std::unique_ptr<Service>> open(ServiceConfig cfg);
    ~Service();

    int listen_fd() const { return listen_fd_; }
    // The hand-over key of the listener.
    std::string handoff_key() const { return "peers:" + cfg_.local.to_string(); }

    void start();
    // Thread-safe: an entry the engine just stored in table `table`.
    void publish(size_t table, Entry e);
    // Stop talking to remote peers and teach our table to the process that took our listener.
    void soft_stop();
    // Waits (at most `grace`) for a soft stop's hand-over, then stops the thread.
    void stop(std::chrono::milliseconds grace);

  private:
    using Clock = std::chrono::steady_clock;
    struct Conn {
        int fd = -1;
        std::unique_ptr<Session> session;
        bool connecting = false;
        bool dead = false;      // dropped on the next turn
        int link = -1;          // index in links_ once the peer is known
        bool handover = false;  // our own connection to the new process, on soft stop
        Clock::time_point last_rx, last_tx;
    };
    struct Link {
        std::string name;
        Endpoint ep;
        Conn* conn = nullptr;  // the connection in use, either direction
        Clock::time_point next_attempt;
        std::chrono::milliseconds backoff{0};
    };
    explicit Service(ServiceConfig cfg);
    void wake();
    void mark_handed_over();

    // The thread (service_loop.cc).
    void run();
    void begin_soft_stop();
    void push_fresh_entries();
    void connect_due_links();
    void expire_and_heartbeat(Clock::time_point now);
    void accept_new();
    void serve(Conn& c, short revents);
    void on_events(Conn& c, std::vector<SessionEvent>& events);
    void on_established(Conn& c);
    void push_all(Conn& c);
    // A full resync for the peer: the whole table, then "finished".
    void teach(Conn& c);
    Conn* connect_to(const Endpoint& ep, const std::string& name);
    Conn& add_conn(int fd, Session::Side side, const std::string& remote);
    std::list<Conn>::iterator drop(std::list<Conn>::iterator it);
    void retry_later(Link& l);
    int poll_timeout_ms(Clock::time_point now) const;

    ServiceConfig cfg_;
    std::vector<TableDefinition> defs_;
    int listen_fd_ = -1;
    int wake_fd_ = -1;
    std::thread thread_;
    std::atomic<bool> quit_{false};
    std::atomic<bool> soft_stop_{false};

    std::mutex mu_;  // guards queue_ and handed_over_
    std::vector<std::pair<size_t, Entry>> queue_;
    bool handed_over_ = false;
    std::condition_variable handed_over_cv_;

    // Owned by the thread.
    Session::Config session_cfg_;
    std::vector<Link> links_;
    std::list<Conn> conns_;
    std::vector<uint32_t> update_ids_;
    std::mt19937 rng_;
    bool taught_ = false;  // a peer finished a full resync for us
    bool soft_stopping_ = false;
    Clock::time_point handover_deadline_;
};

}  // namespace octane::proxy::peers
