// Pure pieces of the runtime: fd-limit sizing, timer heap order, stats text, PROXY headers.

#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "proxy/config/parser.h"
#include "proxy/io/proxy_header.h"
#include "proxy/loop/timer_heap.h"
#include "proxy/runtime/access_log.h"
#include "proxy/runtime/fd_limits.h"
#include "proxy/runtime/paused_workers.h"
#include "proxy/runtime/stats_csv.h"
#include "proxy/runtime/thread_activity.h"

namespace octane::proxy {
namespace {

TEST(FdLimits, LowersMaxconnToWhatTheHardLimitAllowsAndSaysSo) {
    FdPlan p = compute_fd_plan(50000, 100, 20000);
    EXPECT_EQ(p.maxconn, 9950);
    EXPECT_EQ(p.nofile, 20000);
    EXPECT_NE(p.warning.find("maxconn 50000"), std::string::npos);
    FdPlan ok = compute_fd_plan(1000, 100, 20000);
    EXPECT_EQ(ok.maxconn, 1000);
    EXPECT_TRUE(ok.warning.empty());
    EXPECT_EQ(ok.nofile, 2100);
}

TEST(PausedWorkers, AClosingSessionWakesExactlyTheWorkersThatPausedOnce) {
    PausedWorkers board;
    std::vector<int> resumed(3, 0);
    for (int i = 0; i < 3; ++i) {
        board.add([&resumed, i] { ++resumed[i]; });
    }
    board.wake();  // nothing paused: nobody disturbed
    EXPECT_EQ(resumed, (std::vector<int>{0, 0, 0}));
    board.mark(2);
    board.mark(0);
    board.wake();
    EXPECT_EQ(resumed, (std::vector<int>{1, 0, 1}));
    board.wake();  // the marks were consumed: a worker still at the limit marks itself again
    EXPECT_EQ(resumed, (std::vector<int>{1, 0, 1}));
}

TEST(ThreadActivity, ShowActivityUsesHaproxysTotalThenPerThreadLayout) {
    std::vector<ThreadActivity> threads(2);
    threads[0].accepted = 7;
    threads[1].accepted = 1;
    threads[0].accq_pushed = 3;
    threads[1].accq_pushed = 5;
    threads[1].sockmap_joined = 2;
    EXPECT_EQ(render_show_activity(threads, 1),
              "thread_id: 1 (1..2)\n"
              "accepted: 8 [ 7 1 ]\n"
              "accq_pushed: 8 [ 3 5 ]\n"
              "sockmap_joined: 2 [ 0 2 ]\n\n");
}

struct Recorder : TimerHandler {
    std::vector<int64_t> fired;
    void on_timer(Timer& t) override { fired.push_back(t.deadline()); }
};

TEST(TimerHeap, PopsInDeadlineOrderWithRearmAndCancel) {
    Recorder rec;
    std::vector<std::unique_ptr<Timer>> timers;
    TimerHeap heap;
    std::mt19937 rng(7);
    for (int i = 0; i < 200; ++i) {
        timers.push_back(std::make_unique<Timer>(&rec));
        heap.arm(*timers.back(), static_cast<int64_t>(rng() % 1000));
    }
    for (int i = 0; i < 200; i += 3) {
        heap.arm(*timers[i], static_cast<int64_t>(rng() % 1000));  // re-arm
    }
    for (int i = 1; i < 200; i += 7) {
        heap.cancel(*timers[i]);
    }
    int64_t last = -1;
    size_t n = 0;
    while (Timer* t = heap.pop_due(1000)) {
        EXPECT_GE(t->deadline(), last);
        last = t->deadline();
        ++n;
    }
    EXPECT_EQ(n, 200u - 29u);
}

TEST(ProxyHeader, V1AndV2) {
    auto src = *parse_endpoint("10.0.0.1:1234");
    auto dst = *parse_endpoint("10.0.0.2:80");
    char buf[128];
    size_t n = write_proxy_v1(src, dst, buf, sizeof(buf));
    EXPECT_EQ(std::string(buf, n), "PROXY TCP4 10.0.0.1 10.0.0.2 1234 80\r\n");
    n = write_proxy_v2(src, dst, buf, sizeof(buf));
    ASSERT_EQ(n, 28u);
    EXPECT_EQ(static_cast<unsigned char>(buf[12]), 0x21);
    EXPECT_EQ(static_cast<unsigned char>(buf[13]), 0x11);
    EXPECT_EQ(static_cast<unsigned char>(buf[15]), 12);
}

TEST(StatsCsv, HeaderAndRowsLikeHaproxy) {
    auto out = config::parse_config({config::SourceFile{
        "t.cfg",
        "frontend fe\n bind 127.0.0.1:1\n default_backend be\n timeout client 1s\n"
        "backend be\n server a 127.0.0.1:2 check\n server b 127.0.0.1:3 backup\n"
        " server c 127.0.0.1:4 disabled\n"}});
    ASSERT_TRUE(out.diag.ok());
    auto snap = build_snapshot(std::move(out.config), 100);
    std::string text = render_show_stat(*snap, ProcessInfo{});
    EXPECT_EQ(text.rfind("# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,"
                         "econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,",
                         0),
              0u);
    EXPECT_NE(text.find("\nfe,FRONTEND,"), std::string::npos);
    EXPECT_NE(text.find("\nbe,a,"), std::string::npos);
    // a: up until its first check (health == rise), weight 1, active, not backup.
    EXPECT_NE(text.find(",UP 1/3,1,1,0,"), std::string::npos);
    EXPECT_NE(text.find(",no check,1,0,1,"), std::string::npos);  // b: backup without check
    EXPECT_NE(text.find(",MAINT,1,1,0,"), std::string::npos);     // c: disabled
    EXPECT_NE(text.find("\nbe,BACKEND,"), std::string::npos);
    EXPECT_EQ(text.substr(text.size() - 2), "\n\n");
}

TEST(AccessLogFormat, OctaviaLogFormat) {
    config::ProxySection fe;
    fe.name = "fe1";
    config::ProxySection be;
    be.name = "be1";
    config::ServerLine srv;
    srv.name = "m1";
    auto client = *parse_endpoint("10.1.2.3:5555");
    LogRecord r{&fe, &be, &srv, &client, 12, 100, 2000, 0, nullptr, "--"};
    std::string line = format_log_line(
        "proj lb %f %ci %cp - - %B %U %[ssl_c_verify] %{+Q}[ssl_c_s_dn] %b %s %Tt %tsc", r);
    EXPECT_EQ(line, "proj lb fe1 10.1.2.3 5555 - - 2000 100 - \"-\" be1 m1 12 ----");

    // A TLS connection with a client certificate that failed verification (verify optional).
    http::TlsFacts tls;
    tls.has_cert = true;
    tls.verify = 20;
    tls.s_dn = "/O=Example/CN=alice";
    r.tls = &tls;
    EXPECT_EQ(format_log_line("%[ssl_c_verify] %{+Q}[ssl_c_s_dn] %[ssl_c_i_dn]", r),
              "20 \"/O=Example/CN=alice\" -");
}

// A doubled percent (how the renderer writes a project id holding `%`) is one literal percent,
// not a variable.
TEST(AccessLogFormat, DoubledPercentIsLiteral) {
    config::ProxySection fe;
    fe.name = "fe1";
    LogRecord r{&fe, nullptr, nullptr, nullptr, 0, 0, 0, 0, nullptr, "--"};
    EXPECT_EQ(format_log_line("p%%[src]x %f", r), "p%[src]x fe1");
    EXPECT_EQ(format_log_line("100%%", r), "100%");
}

}  // namespace
}  // namespace octane::proxy
