// UDP load tool for bench/udp_bench.py (built by it with g++ -O2): an echo server and a
// pipelined request/answer client, both with recvmmsg/sendmmsg so the tool costs little per
// datagram next to what is measured.
//   udp_load echo <port>                       echoes on 127.0.0.1:<port> until killed
//   udp_load load <port> <seconds> <flows> <window> <size>
//     <flows> sockets (one flow each) keep <window> datagrams in flight; prints
//     "<answers> <seconds>" on stdout.

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

constexpr int kBatch = 64;

sockaddr_in loopback(int port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

int echo(int port) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a = loopback(port);
    int big = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
    if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
        std::perror("bind");
        return 1;
    }
    static char buf[kBatch][2048];
    mmsghdr msgs[kBatch];
    iovec iov[kBatch];
    sockaddr_in from[kBatch];
    for (;;) {
        for (int i = 0; i < kBatch; ++i) {
            iov[i] = {buf[i], sizeof(buf[i])};
            msgs[i] = {};
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
            msgs[i].msg_hdr.msg_name = &from[i];
            msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
        }
        int n = recvmmsg(fd, msgs, kBatch, MSG_WAITFORONE, nullptr);
        if (n <= 0) {
            continue;
        }
        for (int i = 0; i < n; ++i) {
            iov[i].iov_len = msgs[i].msg_len;
        }
        sendmmsg(fd, msgs, static_cast<unsigned>(n), 0);
    }
}

int load(int port, double seconds, int flows, int window, int size) {
    std::vector<int> fds;
    std::vector<pollfd> pfds;
    sockaddr_in to = loopback(port);
    std::vector<char> payload(static_cast<size_t>(size), 'x');
    for (int i = 0; i < flows; ++i) {
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to));
        fds.push_back(fd);
        pfds.push_back({fd, POLLIN, 0});
        for (int w = 0; w < window; ++w) {
            send(fd, payload.data(), payload.size(), 0);
        }
    }
    long long answers = 0;
    auto start = std::chrono::steady_clock::now();
    auto end = start + std::chrono::duration<double>(seconds);
    static char buf[kBatch][2048];
    mmsghdr msgs[kBatch];
    iovec iov[kBatch];
    while (std::chrono::steady_clock::now() < end) {
        if (poll(pfds.data(), pfds.size(), 100) <= 0) {
            // Lost datagrams (a full queue): top the windows up again.
            for (int fd : fds) {
                send(fd, payload.data(), payload.size(), 0);
            }
            continue;
        }
        for (auto& p : pfds) {
            if ((p.revents & POLLIN) == 0) {
                continue;
            }
            for (int i = 0; i < kBatch; ++i) {
                iov[i] = {buf[i], sizeof(buf[i])};
                msgs[i] = {};
                msgs[i].msg_hdr.msg_iov = &iov[i];
                msgs[i].msg_hdr.msg_iovlen = 1;
            }
            int n = recvmmsg(p.fd, msgs, kBatch, MSG_DONTWAIT, nullptr);
            if (n <= 0) {
                continue;
            }
            answers += n;
            for (int i = 0; i < n; ++i) {
                iov[i] = {payload.data(), payload.size()};
            }
            sendmmsg(p.fd, msgs, static_cast<unsigned>(n), 0);
        }
    }
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%lld %.3f\n", answers, took);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::strcmp(argv[1], "echo") == 0) {
        return echo(std::atoi(argv[2]));
    }
    if (argc == 7 && std::strcmp(argv[1], "load") == 0) {
        return load(std::atoi(argv[2]), std::atof(argv[3]), std::atoi(argv[4]),
                    std::atoi(argv[5]), std::atoi(argv[6]));
    }
    std::fprintf(stderr, "usage: udp_load echo <port> | load <port> <s> <flows> <window> <size>\n");
    return 2;
}
