#include "http/router.h"

#include <initializer_list>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

namespace octane::http {
namespace {

using IntRouter = Router<int>;
using Outcome = IntRouter::Outcome;

// A router with these routes, in this order.
IntRouter table(std::initializer_list<std::tuple<const char*, const char*, int>> routes) {
    IntRouter router;
    for (const auto& [method, pattern, handler] : routes) {
        router.add(method, pattern, handler);
    }
    return router;
}

// The handler a request reaches with its captures; -404 / -405 when routing refuses it.
std::pair<int, Params> route(const IntRouter& router, const std::string& method,
                             const std::string& path) {
    auto found = router.find(method, path);
    switch (found.outcome) {
        case Outcome::kNotFound:
            EXPECT_EQ(found.handler, nullptr);
            return {-404, {}};
        case Outcome::kMethodNotAllowed:
            EXPECT_EQ(found.handler, nullptr);
            return {-405, {}};
        case Outcome::kFound:
            break;
    }
    return {*found.handler, found.params};
}

TEST(Router, CapturesSegmentsByName) {
    auto router =
        table({{"GET", "/v2/pools/{pool_id}/members/{id}", 1}, {"GET", "/v2/pools/{id}", 2}});
    EXPECT_EQ(route(router, "GET", "/v2/pools/p/members/m"),
              (std::pair<int, Params>{1, {{"pool_id", "p"}, {"id", "m"}}}));
    EXPECT_EQ(route(router, "GET", "/v2/pools/q"), (std::pair<int, Params>{2, {{"id", "q"}}}));
}

TEST(Router, KnownPathWithOtherMethodIs405UnknownPathIs404) {
    auto router = table({{"GET", "/v2/pools/{id}", 1}, {"PUT", "/v2/pools/{id}", 2}});
    const std::vector<std::tuple<const char*, const char*, int>> cases = {
        {"DELETE", "/v2/pools/p", -405}, {"PUT", "/v2/pools/p", 2},
        {"GET", "/v2/nothing", -404},    {"GET", "/v2/pools/p/extra", -404},
        {"GET", "/v2/pools", -404},      {"DELETE", "/v2/nothing", -404}};
    for (const auto& [method, path, want] : cases) {
        EXPECT_EQ(route(router, method, path).first, want) << method << " " << path;
    }
}

TEST(Router, HeadIsServedByGetUnlessAHeadRouteComesFirst) {
    auto router = table({{"GET", "/a", 1}, {"HEAD", "/b", 2}, {"GET", "/b", 3}, {"PUT", "/c", 4}});
    EXPECT_EQ(route(router, "HEAD", "/a").first, 1);
    EXPECT_EQ(route(router, "HEAD", "/b").first, 2);
    EXPECT_EQ(route(router, "GET", "/b").first, 3);
    EXPECT_EQ(route(router, "HEAD", "/c").first, -405);
}

TEST(Router, FirstMatchWinsOverLaterPatterns) {
    auto router = table({{"PUT", "/lb/{amphora_id}/{lb_id}/haproxy", 1},
                         {"PUT", "/lb/{lb_id}/certificates/{filename}", 2},
                         {"PUT", "/lb/{lb_id}/{action}", 3},
                         {"PUT", "/lb/x/start", 4}});
    EXPECT_EQ(route(router, "PUT", "/lb/a/certificates/haproxy"),
              (std::pair<int, Params>{1, {{"amphora_id", "a"}, {"lb_id", "certificates"}}}));
    EXPECT_EQ(route(router, "PUT", "/lb/a/certificates/b.pem").first, 2);
    EXPECT_EQ(route(router, "PUT", "/lb/x/start"),
              (std::pair<int, Params>{3, {{"lb_id", "x"}, {"action", "start"}}}));
}

TEST(Router, LaterRouteWithTheRightMethodStillMatches) {
    auto router = table({{"GET", "/x/{id}", 1}, {"DELETE", "/x/{name}", 2}});
    EXPECT_EQ(route(router, "DELETE", "/x/7"), (std::pair<int, Params>{2, {{"name", "7"}}}));
}

TEST(Router, TrailingAndDoubledSlashesAndTheRootMatch) {
    auto router = table({{"GET", "/", 1}, {"GET", "/v3/projects", 2}});
    EXPECT_EQ(route(router, "GET", "").first, 1);
    EXPECT_EQ(route(router, "GET", "/").first, 1);
    EXPECT_EQ(route(router, "GET", "/v3/projects/").first, 2);
    EXPECT_EQ(route(router, "GET", "/v3//projects").first, 2);
    EXPECT_EQ(route(router, "POST", "/").first, -405);
}

}  // namespace
}  // namespace octane::http
