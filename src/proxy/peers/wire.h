#pragma once

// HAProxy's peers protocol v2.1 (`HAProxyS 2.1`), the messages an ACTIVE_STANDBY pair exchanges
// to replicate stick tables: pure encode/decode, no sockets (session.h drives them, service.h
// does the I/O). Our own code after HAProxy's doc/peers-v2.0.txt and the 2.6 wire behaviour.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace octane::proxy::peers {

// Message classes and types (class byte, type byte; types >= 0x80 carry a varint length + data).
enum MsgClass : uint8_t { kControl = 0, kError = 1, kStickTable = 10, kReserved = 255 };
enum ControlType : uint8_t {
    kResyncRequest = 0,
    kResyncFinished = 1,
    kResyncPartial = 2,
    kResyncConfirm = 3,
    kHeartbeat = 4,
};
enum ErrorType : uint8_t { kErrProtocol = 0, kErrSizeLimit = 1 };
enum TableMsgType : uint8_t {
    kUpdate = 0x80,
    kIncUpdate = 0x81,
    kDefine = 0x82,
    kSwitch = 0x83,
    kAck = 0x84,
    kUpdateTimed = 0x85,
    kIncUpdateTimed = 0x86,
};

// Key types on the wire (HAProxy's historic sample-type numbers).
enum class KeyType : uint8_t { kSint = 2, kIpv4 = 4, kIpv6 = 5, kString = 6, kBinary = 7 };

// Data type bits of a table definition; only these two drive persistence.
constexpr int kDataServerId = 0;
constexpr int kDataServerKey = 19;

// Handshake status codes.
enum Status : int {
    kStatusSuccess = 200,
    kStatusTryAgain = 300,
    kStatusProtocolError = 501,
    kStatusBadVersion = 502,
    kStatusLocalMismatch = 503,
    kStatusRemoteMismatch = 504,
};

constexpr uint32_t kMaxPayload = 16384;  // HAProxy refuses larger (its trash buffer size)
constexpr size_t kDictEntries = 128;     // per-session server_key dictionary cache

// Varint ("encoded integer"): < 240 in one byte, then 4 + 7 bits per byte.
void put_varint(std::string& out, uint64_t v);
// Consumes one varint from the front of `in`; nullopt when truncated or longer than 10 bytes.
std::optional<uint64_t> take_varint(std::string_view& in);

// ---- Handshake -------------------------------------------------------------------------------

struct Hello {
    int major = 2, minor = 1;
    std::string remote;  // the name the sender believes the receiver has
    std::string local;   // the sender's own name
    long pid = 0;
    long relative_pid = 1;
};
std::string encode_hello(const Hello& h);

enum class Parse { kNeedMore, kOk, kError };
struct HelloResult {
    Parse state = Parse::kNeedMore;
    Hello hello;
    int status = 0;       // error status to answer with (kError)
    size_t consumed = 0;  // bytes of the three lines (kOk)
};
// Parses the three hello lines; the caller checks hello.local against its known peers (504).
HelloResult parse_hello(std::string_view in, std::string_view my_name);

struct StatusResult {
    Parse state = Parse::kNeedMore;
    int code = 0;
    size_t consumed = 0;
};
StatusResult parse_status(std::string_view in);

// ---- Framing ---------------------------------------------------------------------------------

struct Frame {
    uint8_t cls = 0, type = 0;
    std::string_view payload;  // empty for types < 0x80
    size_t size = 0;           // bytes of the whole message
};
struct FrameResult {
    Parse state = Parse::kNeedMore;
    Frame frame;
    bool too_large = false;  // kError: announced payload over kMaxPayload
};
FrameResult next_frame(std::string_view in);
void put_control(std::string& out, uint8_t cls, uint8_t type);
void put_message(std::string& out, uint8_t type, std::string_view payload);  // stick-table class

// ---- Stick-table messages --------------------------------------------------------------------

struct TableDefinition {
    uint64_t id = 0;  // the sender's id for the table
    std::string name;
    KeyType key_type = KeyType::kIpv4;
    uint64_t key_len = 4;  // fixed size, or max length + 1 for strings
    uint64_t data_types = 0;
    uint64_t expire_ms = 0;
    std::array<uint64_t, 64> array_len{};  // elements of array data types (from the parameters)
};
void put_define(std::string& out, const TableDefinition& t);
std::optional<TableDefinition> decode_define(std::string_view payload);

struct Entry {
    std::string key;  // raw key: 4/16 address bytes, 4 bytes host-order integer... see key.h
    std::optional<int64_t> server_id;
    std::optional<std::string> server_key;
};

struct Update {
    std::optional<uint32_t> update_id;  // absent: previous id + 1
    std::optional<uint32_t> expire_ms;  // timed updates
    Entry entry;
};

// Sends server_id and, when the definition has it, server_key as a full dictionary entry.
void put_update(std::string& out, const TableDefinition& t, uint32_t update_id, const Entry& e);

// server_key values the remote sent, by its dictionary id (1-based on the wire).
using DictCache = std::array<std::optional<std::string>, kDictEntries>;
std::optional<Update> decode_update(uint8_t type, std::string_view payload,
                                    const TableDefinition& remote, DictCache& dict);

struct Ack {
    uint64_t table_id = 0;  // the receiver's (acked sender's) table id
    uint32_t update_id = 0;
};
void put_ack(std::string& out, const Ack& a);
std::optional<Ack> decode_ack(std::string_view payload);
void put_switch(std::string& out, uint64_t table_id);
std::optional<uint64_t> decode_switch(std::string_view payload);

}  // namespace octane::proxy::peers
