#include "proxy/peers/session.h"

#include <algorithm>

namespace octane::proxy::peers {

Session::Session(Side side, Config config, std::string remote)
    : side_(side),
      cfg_(std::move(config)),
      state_(side == Side::kConnect ? State::kStatus : State::kHello),
      peer_(std::move(remote)) {
    defined_.assign(cfg_.tables ? cfg_.tables->size() : 0, false);
    if (side_ == Side::kConnect) {
        out_ = encode_hello(Hello{2, 1, peer_, cfg_.local_name, cfg_.pid, 1});
    }
}

void Session::close(std::string why, std::vector<SessionEvent>& events) {
    if (state_ != State::kClosed) {
        state_ = State::kClosed;
        events.push_back(SessionEvent{SessionEvent::kClosed, 0, {}, std::move(why)});
    }
}

void Session::protocol_error(std::string why, std::vector<SessionEvent>& events) {
    put_control(out_, kError, kErrProtocol);
    close(std::move(why), events);
}

void Session::feed(std::string_view data, std::vector<SessionEvent>& events) {
    if (state_ == State::kClosed) {
        return;
    }
    in_.append(data);
    size_t pos = 0;
    if (state_ == State::kHello) {
        HelloResult h = parse_hello(in_, cfg_.local_name);
        if (h.state == Parse::kNeedMore) {
            return;
        }
        if (h.state == Parse::kOk &&
            std::find(cfg_.known.begin(), cfg_.known.end(), h.hello.local) == cfg_.known.end()) {
            h.state = Parse::kError;
            h.status = kStatusRemoteMismatch;
        }
        if (h.state == Parse::kError) {
            out_ += std::to_string(h.status) + "\n";
            close("hello refused with " + std::to_string(h.status), events);
            return;
        }
        peer_ = h.hello.local;
        out_ += std::to_string(kStatusSuccess) + "\n";
        pos = h.consumed;
        state_ = State::kMessages;
        events.push_back(SessionEvent{SessionEvent::kEstablished, 0, {}, {}});
    } else if (state_ == State::kStatus) {
        StatusResult s = parse_status(in_);
        if (s.state == Parse::kNeedMore) {
            return;
        }
        if (s.state == Parse::kError || s.code != kStatusSuccess) {
            close("peer answered " + std::to_string(s.code), events);
            return;
        }
        pos = s.consumed;
        state_ = State::kMessages;
        events.push_back(SessionEvent{SessionEvent::kEstablished, 0, {}, {}});
    }
    while (state_ == State::kMessages) {
        FrameResult r = next_frame(std::string_view(in_).substr(pos));
        if (r.state == Parse::kNeedMore) {
            break;
        }
        if (r.state == Parse::kError) {
            put_control(out_, kError, r.too_large ? kErrSizeLimit : kErrProtocol);
            close(r.too_large ? "message too large" : "malformed message", events);
            break;
        }
        handle(r.frame, events);
        pos += r.frame.size;
    }
    in_.erase(0, pos);
    for (auto& [id, remote] : remote_) {
        if (state_ == State::kMessages && remote.last_get != remote.last_acked) {
            put_ack(out_, Ack{id, remote.last_get});
            remote.last_acked = remote.last_get;
        }
    }
}

void Session::handle(const Frame& f, std::vector<SessionEvent>& events) {
    if (f.cls == kControl) {
        switch (f.type) {
            case kResyncRequest:
                events.push_back(SessionEvent{SessionEvent::kResyncRequested, 0, {}, {}});
                break;
            case kResyncFinished:
            case kResyncPartial:
                send_control(kResyncConfirm);
                events.push_back(SessionEvent{SessionEvent::kResyncFinished, 0, {}, {}});
                break;
            case kResyncConfirm:
                events.push_back(SessionEvent{SessionEvent::kResyncConfirmed, 0, {}, {}});
                break;
            default:  // heartbeat: liveness only (the service times reads)
                break;
        }
        return;
    }
    if (f.cls == kError) {
        close("peer reported a protocol error", events);
        return;
    }
    if (f.cls == kStickTable) {
        handle_table_message(f, events);
        return;
    }
    if (f.cls == kReserved) {
        protocol_error("reserved message class", events);
    }
}

void Session::handle_table_message(const Frame& f, std::vector<SessionEvent>& events) {
    switch (f.type) {
        case kDefine: {
            remote_current_ = nullptr;
            auto def = decode_define(f.payload);
            if (!def) {
                return;  // a table we cannot read: its updates are skipped
            }
            Remote& r = remote_[def->id];
            r.def = *def;
            r.local = SIZE_MAX;
            for (size_t i = 0; cfg_.tables && i < cfg_.tables->size(); ++i) {
                const TableDefinition& t = (*cfg_.tables)[i];
                if (t.name == def->name && t.key_type == def->key_type &&
                    t.key_len == def->key_len) {
                    r.local = i;
                }
            }
            remote_current_ = &r;
            return;
        }
        case kSwitch: {
            auto id = decode_switch(f.payload);
            if (!id) {
                protocol_error("malformed table switch", events);
                return;
            }
            auto it = remote_.find(*id);
            remote_current_ = it == remote_.end() ? nullptr : &it->second;
            return;
        }
        case kUpdate:
        case kIncUpdate:
        case kUpdateTimed:
        case kIncUpdateTimed: {
            if (remote_current_ == nullptr) {
                return;
            }
            auto u = decode_update(f.type, f.payload, remote_current_->def, dict_);
            if (!u) {
                protocol_error("malformed update", events);
                return;
            }
            remote_current_->last_get =
                u->update_id ? *u->update_id : remote_current_->last_get + 1;
            if (remote_current_->local != SIZE_MAX) {
                events.push_back(SessionEvent{
                    SessionEvent::kLearned, remote_current_->local, std::move(u->entry), {}});
            }
            return;
        }
        case kAck:
            // We always push the whole table on a new connection, so resume points are unused.
            if (!decode_ack(f.payload)) {
                protocol_error("malformed ack", events);
            }
            return;
        default:
            return;
    }
}

void Session::push(size_t table, uint32_t update_id, const Entry& e) {
    const TableDefinition& t = (*cfg_.tables)[table];
    if (!defined_[table]) {
        put_define(out_, t);
        defined_[table] = true;
    } else if (current_ != table) {
        put_switch(out_, t.id);
    }
    current_ = table;
    put_update(out_, t, update_id, e);
}

}  // namespace octane::proxy::peers
