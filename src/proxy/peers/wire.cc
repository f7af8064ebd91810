#include "proxy/peers/wire.h"

#include <charconv>
#include <cstring>

namespace octane::proxy::peers {

namespace {

constexpr uint64_t kTwoBytesMin = 0xf0;
constexpr size_t kMaxLine = 1024;

enum class StdType { kInt, kFreq, kDict, kUnknown };

// How each data type is laid out in an update (HAProxy's stktable_data_types).
StdType std_type(int bit) {
    switch (bit) {
        case 3:
        case 5:
        case 8:
        case 10:
        case 12:
        case 14:
        case 16:
        case 18:
        case 21:
        case 24:
        case 26:
            return StdType::kFreq;
        case 19:
            return StdType::kDict;
        default:
            return bit <= 26 ? StdType::kInt : StdType::kUnknown;
    }
}
bool is_array(int bit) {
    return bit >= 22 && bit <= 24;
}

void put_u32(std::string& out, uint32_t v) {
    char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                 static_cast<char>(v)};
    out.append(b, 4);
}
std::optional<uint32_t> take_u32(std::string_view& in) {
    if (in.size() < 4) {
        return std::nullopt;
    }
    auto u = [&in](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(in[i])); };
    uint32_t v = u(0) << 24 | u(1) << 16 | u(2) << 8 | u(3);
    in.remove_prefix(4);
    return v;
}
std::optional<std::string_view> take_bytes(std::string_view& in, uint64_t n) {
    if (n > in.size()) {
        return std::nullopt;
    }
    std::string_view b = in.substr(0, n);
    in.remove_prefix(n);
    return b;
}

// Splits off one '\n'-terminated line; nullopt when it is not complete yet.
std::optional<std::string_view> line_at(std::string_view in, size_t& pos) {
    size_t nl = in.find('\n', pos);
    if (nl == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view l = in.substr(pos, nl - pos);
    pos = nl + 1;
    return l;
}

bool parse_long(std::string_view s, long& v) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

void put_varint(std::string& out, uint64_t v) {
    if (v < kTwoBytesMin) {
        out.push_back(static_cast<char>(v));
        return;
    }
    out.push_back(static_cast<char>(static_cast<uint8_t>(v) | kTwoBytesMin));
    v = (v - kTwoBytesMin) >> 4;
    while (v >= 0x80) {
        out.push_back(static_cast<char>(static_cast<uint8_t>(v) | 0x80));
        v = (v - 0x80) >> 7;
    }
    out.push_back(static_cast<char>(v));
}

std::optional<uint64_t> take_varint(std::string_view& in) {
    if (in.empty()) {
        return std::nullopt;
    }
    size_t i = 0;
    uint64_t v = static_cast<uint8_t>(in[i++]);
    if (v >= kTwoBytesMin) {
        int shift = 4;
        uint8_t b = 0;
        do {
            if (i >= in.size() || i >= 10) {
                return std::nullopt;
            }
            b = static_cast<uint8_t>(in[i++]);
            v += static_cast<uint64_t>(b) << shift;
            shift += 7;
        } while (b >= 0x80);
    }
    in.remove_prefix(i);
    return v;
}

std::string encode_hello(const Hello& h) {
    return "HAProxyS " + std::to_string(h.major) + "." + std::to_string(h.minor) + "\n" + h.remote +
           "\n" + h.local + " " + std::to_string(h.pid) + " " + std::to_string(h.relative_pid) +
           "\n";
}

HelloResult parse_hello(std::string_view in, std::string_view my_name) {
    HelloResult r;
    size_t pos = 0;
    auto error = [&r](int status) {
        r.state = Parse::kError;
        r.status = status;
        return r;
    };
    auto version = line_at(in, pos);
    if (!version) {
        return in.size() > kMaxLine ? error(kStatusProtocolError) : r;
    }
    if (version->substr(0, 9) != "HAProxyS ") {
        return error(kStatusProtocolError);
    }
    std::string_view v = version->substr(9);
    size_t dot = v.find('.');
    long major = 0, minor = 0;
    if (dot == std::string_view::npos || !parse_long(v.substr(0, dot), major) ||
        !parse_long(v.substr(dot + 1), minor) || major != 2 || minor < 0 || minor > 1) {
        return error(kStatusBadVersion);
    }
    r.hello.major = static_cast<int>(major);
    r.hello.minor = static_cast<int>(minor);
    auto remote = line_at(in, pos);
    if (!remote) {
        return in.size() - pos > kMaxLine ? error(kStatusProtocolError) : r;
    }
    if (*remote != my_name) {
        return error(kStatusLocalMismatch);
    }
    r.hello.remote = std::string(*remote);
    auto last = line_at(in, pos);
    if (!last) {
        return in.size() - pos > kMaxLine ? error(kStatusProtocolError) : r;
    }
    size_t sp = last->find(' ');
    if (sp == std::string_view::npos || sp == 0) {
        return error(kStatusProtocolError);
    }
    r.hello.local = std::string(last->substr(0, sp));
    std::string_view rest = last->substr(sp + 1);
    size_t sp2 = rest.find(' ');
    (void)parse_long(rest.substr(0, sp2), r.hello.pid);
    if (sp2 != std::string_view::npos) {
        (void)parse_long(rest.substr(sp2 + 1), r.hello.relative_pid);
    }
    r.state = Parse::kOk;
    r.consumed = pos;
    return r;
}

StatusResult parse_status(std::string_view in) {
    StatusResult r;
    size_t pos = 0;
    auto line = line_at(in, pos);
    if (!line) {
        if (in.size() > 16) {
            r.state = Parse::kError;
        }
        return r;
    }
    long code = 0;
    r.state = parse_long(*line, code) ? Parse::kOk : Parse::kError;
    r.code = static_cast<int>(code);
    r.consumed = pos;
    return r;
}

FrameResult next_frame(std::string_view in) {
    FrameResult r;
    if (in.size() < 2) {
        return r;
    }
    r.frame.cls = static_cast<uint8_t>(in[0]);
    r.frame.type = static_cast<uint8_t>(in[1]);
    if (r.frame.type < 0x80) {
        r.state = Parse::kOk;
        r.frame.size = 2;
        return r;
    }
    std::string_view rest = in.substr(2);
    auto len = take_varint(rest);
    if (!len) {
        // Truncated, or a length encoding longer than any 32-bit value's.
        if (in.size() - 2 >= 5) {
            r.state = Parse::kError;
        }
        return r;
    }
    if (*len > kMaxPayload) {
        r.state = Parse::kError;
        r.too_large = true;
        return r;
    }
    if (rest.size() < *len) {
        return r;
    }
    r.frame.payload = rest.substr(0, *len);
    r.frame.size = in.size() - rest.size() + *len;
    r.state = Parse::kOk;
    return r;
}

void put_control(std::string& out, uint8_t cls, uint8_t type) {
    out.push_back(static_cast<char>(cls));
    out.push_back(static_cast<char>(type));
}

void put_message(std::string& out, uint8_t type, std::string_view payload) {
    put_control(out, kStickTable, type);
    put_varint(out, payload.size());
    out.append(payload);
}

void put_define(std::string& out, const TableDefinition& t) {
    std::string p;
    put_varint(p, t.id);
    put_varint(p, t.name.size());
    p += t.name;
    put_varint(p, static_cast<uint64_t>(t.key_type));
    put_varint(p, t.key_len);
    put_varint(p, t.data_types);
    put_varint(p, t.expire_ms);
    // Parameters of array and frequency types would follow; the types we send have none.
    put_message(out, kDefine, p);
}

std::optional<TableDefinition> decode_define(std::string_view in) {
    TableDefinition t;
    auto id = take_varint(in);
    auto name_len = id ? take_varint(in) : std::nullopt;
    if (!name_len || *name_len == 0 || *name_len >= in.size()) {
        return std::nullopt;
    }
    t.id = *id;
    t.name = std::string(in.substr(0, *name_len));
    in.remove_prefix(*name_len);
    auto type = take_varint(in);
    auto key_len = type ? take_varint(in) : std::nullopt;
    auto data = key_len ? take_varint(in) : std::nullopt;
    if (!data) {
        return std::nullopt;
    }
    if (*type != 2 && (*type < 4 || *type > 7)) {
        return std::nullopt;
    }
    t.key_type = static_cast<KeyType>(*type);
    t.key_len = *key_len;
    t.data_types = *data;
    if (t.key_len == 0 || t.key_len > 1024) {
        return std::nullopt;
    }
    auto expire = take_varint(in);
    for (int bit = 0; bit < 64; ++bit) {
        if (!(t.data_types & (1ULL << bit))) {
            continue;
        }
        StdType st = std_type(bit);
        if (st == StdType::kUnknown) {
            return std::nullopt;  // a type we cannot skip: its updates would be misread
        }
        if (!expire) {
            if (is_array(bit)) {
                return std::nullopt;  // arrays need their size parameter
            }
            continue;
        }
        if (!is_array(bit) && st != StdType::kFreq) {
            continue;
        }
        // Parameters: the type again, then the array size and/or the period.
        auto again = take_varint(in);
        if (!again || *again != static_cast<uint64_t>(bit)) {
            return std::nullopt;
        }
        if (is_array(bit)) {
            auto n = take_varint(in);
            if (!n || *n == 0 || *n > 100) {
                return std::nullopt;
            }
            t.array_len[bit] = *n;
        }
        if (st == StdType::kFreq && !take_varint(in)) {
            return std::nullopt;
        }
    }
    t.expire_ms = expire.value_or(0);
    return t;
}

void put_update(std::string& out, const TableDefinition& t, uint32_t update_id, const Entry& e) {
    std::string p;
    put_u32(p, update_id);
    if (t.key_type == KeyType::kString) {
        size_t n = std::min<size_t>(e.key.size(), t.key_len > 0 ? t.key_len - 1 : 0);
        put_varint(p, n);
        p.append(e.key, 0, n);
    } else {
        std::string key = e.key;
        key.resize(t.key_len, '\0');
        p += key;
    }
    if (t.data_types & (1ULL << kDataServerId)) {
        put_varint(p, static_cast<uint64_t>(static_cast<int32_t>(e.server_id.value_or(0))));
    }
    if (t.data_types & (1ULL << kDataServerKey)) {
        if (!e.server_key) {
            put_varint(p, 0);
        } else {
            // Always the full entry, under dictionary id 1: valid for any receiver's cache.
            std::string d;
            put_varint(d, 1);
            put_varint(d, e.server_key->size());
            d += *e.server_key;
            put_varint(p, d.size());
            p += d;
        }
    }
    put_message(out, kUpdate, p);
}

std::optional<Update> decode_update(uint8_t type, std::string_view in,
                                    const TableDefinition& remote, DictCache& dict) {
    Update u;
    if (type == kUpdate || type == kUpdateTimed) {
        u.update_id = take_u32(in);
        if (!u.update_id) {
            return std::nullopt;
        }
    }
    if (type == kUpdateTimed || type == kIncUpdateTimed) {
        u.expire_ms = take_u32(in);
        if (!u.expire_ms) {
            return std::nullopt;
        }
    }
    if (remote.key_type == KeyType::kString) {
        auto n = take_varint(in);
        auto bytes = n ? take_bytes(in, *n) : std::nullopt;
        if (!bytes) {
            return std::nullopt;
        }
        u.entry.key = std::string(bytes->substr(0, remote.key_len - 1));
    } else {
        auto bytes = take_bytes(in, remote.key_type == KeyType::kSint ? 4 : remote.key_len);
        if (!bytes) {
            return std::nullopt;
        }
        u.entry.key = std::string(*bytes);
    }
    for (int bit = 0; bit < 64; ++bit) {
        if (!(remote.data_types & (1ULL << bit))) {
            continue;
        }
        StdType st = std_type(bit);
        uint64_t count = is_array(bit) ? remote.array_len[bit] : 1;
        for (uint64_t i = 0; i < count; ++i) {
            auto v = take_varint(in);
            if (!v) {
                return std::nullopt;
            }
            if (st == StdType::kFreq) {
                if (!take_varint(in) || !take_varint(in)) {
                    return std::nullopt;
                }
            } else if (st == StdType::kDict && *v != 0) {
                auto body = take_bytes(in, *v);
                if (!body) {
                    return std::nullopt;
                }
                auto id = take_varint(*body);
                if (!id || *id == 0 || *id > kDictEntries) {
                    return std::nullopt;
                }
                if (!body->empty()) {
                    auto len = take_varint(*body);
                    auto value = len ? take_bytes(*body, *len) : std::nullopt;
                    if (!value) {
                        return std::nullopt;
                    }
                    dict[*id - 1] = std::string(*value);
                }
                u.entry.server_key = dict[*id - 1];
            } else if (bit == kDataServerId) {
                u.entry.server_id = static_cast<int32_t>(*v);
            }
        }
    }
    return u;
}

void put_ack(std::string& out, const Ack& a) {
    std::string p;
    put_varint(p, a.table_id);
    put_u32(p, a.update_id);
    put_message(out, kAck, p);
}

std::optional<Ack> decode_ack(std::string_view in) {
    auto id = take_varint(in);
    auto update = id ? take_u32(in) : std::nullopt;
    if (!update) {
        return std::nullopt;
    }
    return Ack{*id, *update};
}

void put_switch(std::string& out, uint64_t table_id) {
    std::string p;
    put_varint(p, table_id);
    put_message(out, kSwitch, p);
}

std::optional<uint64_t> decode_switch(std::string_view in) {
    return take_varint(in);
}

}  // namespace octane::proxy::peers
