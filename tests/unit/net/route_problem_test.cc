#include <gtest/gtest.h>

#include "net/routes.h"

namespace octane::net {
namespace {

TEST(RouteProblem, AcceptsTheShapesTheL3AgentUses) {
    EXPECT_EQ(route_problem({.destination = "default", .gateway = "203.0.113.1", .device = "qg-1"}),
              "");
    EXPECT_EQ(route_problem({.destination = "default",
                             .gateway = "198.51.100.1",
                             .device = "qg-1",
                             .onlink = true}),
              "");
    EXPECT_EQ(route_problem({.destination = "10.0.0.0/24", .device = "qr-1"}), "");
    EXPECT_EQ(route_problem({.destination = "10.9.0.0/16", .unreachable = true, .metric = 100}),
              "");
}

TEST(RouteProblem, RejectsIncompleteOrContradictoryRoutes) {
    EXPECT_NE(route_problem({}), "");
    EXPECT_NE(route_problem({.destination = "default"}), "");
    EXPECT_NE(route_problem({.destination = "default", .gateway = "10.0.0.1", .onlink = true}), "");
    EXPECT_NE(route_problem({.destination = "10.0.0.0/8", .device = "eth0", .onlink = true}), "");
    EXPECT_NE(
        route_problem({.destination = "10.0.0.0/8", .gateway = "10.0.0.1", .unreachable = true}),
        "");
    EXPECT_NE(route_problem({.destination = "10.0.0.0/8", .device = "eth0", .unreachable = true}),
              "");
}

}  // namespace
}  // namespace octane::net
