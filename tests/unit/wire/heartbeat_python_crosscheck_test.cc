// Cross-check of the envelope against Python's zlib + hmac (what Octavia's amphora agent and health
// manager use): Python seals, C++ opens; C++ seals, Python opens.

#include <array>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "wire/heartbeat_envelope.h"

namespace octane::wire {
namespace {

std::string run(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return out;
    }
    std::array<char, 4096> buf{};
    size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) {
        out.append(buf.data(), n);
    }
    pclose(pipe);
    return out;
}

std::string to_hex(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    return out;
}

std::string from_hex(std::string_view hex) {
    std::string out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
    }
    return out;
}

// Python's health_sender: zlib.compress(json, 9) + hexdigest (or the legacy raw digest).
std::string python_datagram(bool legacy) {
    std::string script =
        "import zlib,hmac,hashlib,json,sys\n"
        "msg={'id':'amp-1','seq':7,'ver':3,'listeners':{'l1':{'status':'FULL','stats':"
        "{'tx':1,'rx':2,'conns':3,'totconns':4,'ereq':5}}},'pools':{'p1:l1':{'status':'DOWN',"
        "'members':{'m1':'DOWN'}}}}\n"
        "p=zlib.compress(json.dumps(msg).encode('utf-8'),9)\n"
        "h=hmac.new('s\\u00e9cret'.encode('utf-8'),p,hashlib.sha256)\n"
        "d=h.digest() if " +
        std::string(legacy ? "True" : "False") +
        " else h.hexdigest().encode()\n"
        "sys.stdout.write((p+d).hex())\n";
    return from_hex(run("/usr/bin/python3 -c \"$(cat <<'PY'\n" + script + "PY\n)\""));
}

TEST(HeartbeatPythonCrossCheck, DecodesPythonHexDatagram) {
    std::string datagram = python_datagram(false);
    ASSERT_FALSE(datagram.empty()) << "python3 did not run";
    auto hb = decode_heartbeat(datagram,
                               "s\xc3\xa9"
                               "cret");
    ASSERT_TRUE(hb.has_value()) << hb.error().message;
    EXPECT_EQ(hb->amphora_id, "amp-1");
    EXPECT_EQ(hb->seq, 7);
    EXPECT_EQ(hb->listeners.at("l1").status, "FULL");
    EXPECT_EQ(hb->listeners.at("l1").stats.ereq, 5);
    EXPECT_EQ(hb->pools.at("p1:l1").members.at("m1"), "DOWN");
}

TEST(HeartbeatPythonCrossCheck, DecodesPythonLegacyDatagram) {
    auto hb = decode_heartbeat(python_datagram(true),
                               "s\xc3\xa9"
                               "cret");
    ASSERT_TRUE(hb.has_value()) << hb.error().message;
    EXPECT_EQ(hb->amphora_id, "amp-1");
}

// Octavia's status_message.unwrap_envelope(), inlined.
TEST(HeartbeatPythonCrossCheck, PythonOpensOurDatagram) {
    Heartbeat hb;
    hb.amphora_id = "amp-2";
    hb.seq = 9;
    hb.listeners["l9"] = {"OPEN", {10, 20, 0, 1, 0}};
    std::string hex = to_hex(encode_heartbeat(hb, "key"));
    std::string script =
        "import zlib,hmac,hashlib,json,sys\n"
        "e=bytes.fromhex(sys.argv[1]); p=e[:-64]\n"
        "ok=hmac.compare_digest(e[-64:], hmac.new(b'key',p,hashlib.sha256).hexdigest().encode())\n"
        "m=json.loads(zlib.decompress(p))\n"
        "print(ok, m['id'], m['seq'], m['ver'], m['listeners']['l9']['stats']['rx'])\n";
    std::string out = run("/usr/bin/python3 -c \"$(cat <<'PY'\n" + script + "PY\n)\" " + hex);
    EXPECT_EQ(out, "True amp-2 9 3 20\n");
}

}  // namespace
}  // namespace octane::wire
