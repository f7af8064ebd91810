#include "api/router.h"

#include <gtest/gtest.h>

namespace octane::api {
namespace {

TEST(Router, CapturesAndDistinguishesMethods) {
    Router<int> router;
    router.add("GET", "/v2/pools/{pool_id}/members/{id}", 1);
    router.add("GET", "/v2/pools/{id}", 2);
    const int* handler = nullptr;
    Params params;
    EXPECT_EQ(router.match("GET", "/v2/pools/p/members/m", &handler, params),
              Router<int>::Outcome::kFound);
    EXPECT_EQ(*handler, 1);
    EXPECT_EQ(params["pool_id"], "p");
    EXPECT_EQ(params["id"], "m");
    EXPECT_EQ(router.match("DELETE", "/v2/pools/p", &handler, params),
              Router<int>::Outcome::kMethodNotAllowed);
    EXPECT_EQ(router.match("GET", "/v2/nothing", &handler, params),
              Router<int>::Outcome::kNotFound);
    EXPECT_EQ(router.match("HEAD", "/v2/pools/x", &handler, params), Router<int>::Outcome::kFound);
}

}  // namespace
}  // namespace octane::api
