#pragma once

// One peers-protocol connection, without I/O: bytes in (feed), bytes out (out()), events for the
// service. The handshake, table definitions/switches, updates, acks, resync control messages
// and heartbeats of HAProxy's peers protocol v2.1.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "proxy/peers/wire.h"

namespace octane::proxy::peers {

struct SessionEvent {
    enum Kind {
        kEstablished,      // handshake done; peer() names the other side
        kLearned,          // an entry for local table `table`
        kResyncRequested,  // the peer wants every entry (then resync_finished())
        kResyncFinished,   // the peer taught us everything it knows
        kResyncConfirmed,  // the peer acknowledged our resync finished/partial
        kClosed,           // text says why; the connection must be dropped
    };
    Kind kind;
    size_t table = 0;
    Entry entry;
    std::string text;
};

class Session {
  public:
    enum class Side { kConnect, kAccept };
    struct Config {
        std::string local_name;
        // Names a hello may come from: the remote peers, and our own (an old process on reload).
        std::vector<std::string> known;
        const std::vector<TableDefinition>* tables = nullptr;  // ours; id = index + 1
        long pid = 0;
    };

    // kConnect writes the hello to `remote` at once.
    Session(Side side, Config config, std::string remote = {});

    void feed(std::string_view data, std::vector<SessionEvent>& events);
    std::string& out() { return out_; }
    bool established() const { return state_ == State::kMessages; }
    bool closed() const { return state_ == State::kClosed; }
    const std::string& peer() const { return peer_; }

    // Sends one entry of local table `table` (its definition first if this session has not
    // seen it, or a switch when another table was current).
    void push(size_t table, uint32_t update_id, const Entry& e);
    void send_control(ControlType type) { put_control(out_, kControl, type); }

  private:
    enum class State { kHello, kStatus, kMessages, kClosed };
    void close(std::string why, std::vector<SessionEvent>& events);
    // Tells the peer its message broke the protocol, then closes.
    void protocol_error(std::string why, std::vector<SessionEvent>& events);
    void handle(const Frame& f, std::vector<SessionEvent>& events);
    void handle_table_message(const Frame& f, std::vector<SessionEvent>& events);

    Side side_;
    Config cfg_;
    State state_;
    std::string peer_;
    std::string in_, out_;
    std::vector<bool> defined_;
    size_t current_ = SIZE_MAX;  // our table the peer will apply the next update to

    struct Remote {
        TableDefinition def;
        size_t local = SIZE_MAX;  // matching local table, or none (updates ignored)
        uint32_t last_get = 0, last_acked = 0;
    };
    std::map<uint64_t, Remote> remote_;
    Remote* remote_current_ = nullptr;
    DictCache dict_;
};

}  // namespace octane::proxy::peers
