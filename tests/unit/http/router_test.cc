#include "http/router.h"

#include <tuple>
#include <vector>

#include <gtest/gtest.h>

namespace octane::http {
namespace {

using IntRouter = Router<int>;
using Outcome = IntRouter::Outcome;

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
    IntRouter router;
    router.add("GET", "/v2/pools/{pool_id}/members/{id}", 1);
    router.add("GET", "/v2/pools/{id}", 2);
    EXPECT_EQ(route(router, "GET", "/v2/pools/p/members/m"),
              (std::pair<int, Params>{1, {{"pool_id", "p"}, {"id", "m"}}}));
    EXPECT_EQ(route(router, "GET", "/v2/pools/q"), (std::pair<int, Params>{2, {{"id", "q"}}}));
}

TEST(Router, KnownPathWithOtherMethodIs405UnknownPathIs404) {
    IntRouter router;
    router.add("GET", "/v2/pools/{id}", 1);
    router.add("PUT", "/v2/pools/{id}", 2);
    const std::vector<std::tuple<const char*, const char*, int>> cases = {
        {"DELETE", "/v2/pools/p", -405}, {"PUT", "/v2/pools/p", 2},
        {"GET", "/v2/nothing", -404},    {"GET", "/v2/pools/p/extra", -404},
        {"GET", "/v2/pools", -404},      {"DELETE", "/v2/nothing", -404}};
    for (const auto& [method, path, want] : cases) {
        EXPECT_EQ(route(router, method, path).first, want) << method << " " << path;
    }
}

TEST(Router, HeadIsServedByGetUnlessAHeadRouteComesFirst) {
    IntRouter router;
    router.add("GET", "/a", 1);
    router.add("HEAD", "/b", 2);
    router.add("GET", "/b", 3);
    router.add("PUT", "/c", 4);
    EXPECT_EQ(route(router, "HEAD", "/a").first, 1);
    EXPECT_EQ(route(router, "HEAD", "/b").first, 2);
    EXPECT_EQ(route(router, "GET", "/b").first, 3);
    EXPECT_EQ(route(router, "HEAD", "/c").first, -405);
}

TEST(Router, FirstMatchWinsOverLaterPatterns) {
    IntRouter router;
    router.add("PUT", "/lb/{amphora_id}/{lb_id}/haproxy", 1);
    router.add("PUT", "/lb/{lb_id}/certificates/{filename}", 2);
    router.add("PUT", "/lb/{lb_id}/{action}", 3);
    router.add("PUT", "/lb/x/start", 4);
    EXPECT_EQ(route(router, "PUT", "/lb/a/certificates/haproxy"),
              (std::pair<int, Params>{1, {{"amphora_id", "a"}, {"lb_id", "certificates"}}}));
    EXPECT_EQ(route(router, "PUT", "/lb/a/certificates/b.pem").first, 2);
    EXPECT_EQ(route(router, "PUT", "/lb/x/start"),
              (std::pair<int, Params>{3, {{"lb_id", "x"}, {"action", "start"}}}));
}

TEST(Router, LaterRouteWithTheRightMethodStillMatches) {
    IntRouter router;
    router.add("GET", "/x/{id}", 1);
    router.add("DELETE", "/x/{name}", 2);
    EXPECT_EQ(route(router, "DELETE", "/x/7"), (std::pair<int, Params>{2, {{"name", "7"}}}));
}

TEST(Router, TrailingAndDoubledSlashesAndTheRootMatch) {
    IntRouter router;
    router.add("GET", "/", 1);
    router.add("GET", "/v3/projects", 2);
    EXPECT_EQ(route(router, "GET", "").first, 1);
    EXPECT_EQ(route(router, "GET", "/").first, 1);
    EXPECT_EQ(route(router, "GET", "/v3/projects/").first, 2);
    EXPECT_EQ(route(router, "GET", "/v3//projects").first, 2);
    EXPECT_EQ(route(router, "POST", "/").first, -405);
}

}  // namespace
}  // namespace octane::http
