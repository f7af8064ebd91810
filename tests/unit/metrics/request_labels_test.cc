#include "metrics/request_labels.h"

#include <gtest/gtest.h>

namespace octane::metrics {

TEST(RequestLabels, SurfaceFollowsThePathPrefix) {
    EXPECT_EQ(surface_of("/v2/lbaas/loadbalancers"), "load-balancer");
    EXPECT_EQ(surface_of("/v2.0/lbaas/pools/x"), "load-balancer");
    EXPECT_EQ(surface_of("/v2"), "load-balancer");
    EXPECT_EQ(surface_of("/identity/v3/auth/tokens"), "identity");
    EXPECT_EQ(surface_of("/v3/projects"), "identity");
    EXPECT_EQ(surface_of("/networking/v2.0/ports"), "networking");
    EXPECT_EQ(surface_of("/key-manager/v1/secrets"), "key-manager");
    EXPECT_EQ(surface_of("/"), "versions");
    EXPECT_EQ(surface_of(""), "versions");
}

TEST(RequestLabels, UnknownPathsAndMethodsShareOneLabel) {
    // Prefixes only match whole segments: /v2x is not the load-balancer API.
    EXPECT_EQ(surface_of("/v2x/lbaas"), "other");
    EXPECT_EQ(surface_of("/../etc/passwd"), "other");
    EXPECT_EQ(surface_of("/identityx"), "other");
    EXPECT_EQ(method_label("GET"), "GET");
    EXPECT_EQ(method_label("DELETE"), "DELETE");
    EXPECT_EQ(method_label("BREW"), "OTHER");
    EXPECT_EQ(method_label("get"), "OTHER");
}

TEST(RequestLabels, FlowIsNamedAfterItsPendingState) {
    EXPECT_EQ(flow_label("PENDING_CREATE"), "create");
    EXPECT_EQ(flow_label("PENDING_UPDATE"), "update");
    EXPECT_EQ(flow_label("PENDING_DELETE"), "delete");
    EXPECT_EQ(flow_label("ACTIVE"), "other");
}

}  // namespace octane::metrics
