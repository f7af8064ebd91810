// Routers through the Neutron surface over an in-memory database: the first-start router, the
// gateway port, interfaces by subnet and by port, Neutron's in-use rules and messages, floating
// IP association through a router, and the change hook.

#include <memory>
#include <stdexcept>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "common/clock.h"
#include "db/sqlite_database.h"
#include "networking/network_bootstrap.h"
#include "networking/neutron_service.h"

namespace octane::networking {
namespace {

using nlohmann::json;

struct Answer {
    int status = 0;
    json body;
};

class RouterServiceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto opened = db::SqliteDatabase::open(":memory:");
        ASSERT_TRUE(opened) << opened.error().message;
        db_ = std::move(*opened);
        ASSERT_TRUE(migrate_networking(*db_));
        ASSERT_TRUE(migrate_networking(*db_));  // idempotent
        store_ = std::make_unique<NetworkStore>(*db_, clock_);
        ASSERT_TRUE(bootstrap_networks(*store_, "admin", {}));
        // The caller's project comes from a header; project "admin" has the admin role.
        service_ = std::make_unique<NeutronService>(
            *store_,
            [](const http::HttpRequest& request) -> Result<identity::Caller, http::HttpResponse> {
                identity::Caller caller;
                const std::string* project = request.header("x-project");
                caller.project_id = project ? *project : "admin";
                caller.roles = {*caller.project_id == "admin" ? "admin" : "member"};
                return caller;
            },
            "");
        service_->set_on_change([this] { ++changes_; });
    }

    Answer call(const std::string& method, const std::string& target, const json& body = nullptr,
                const std::string& project = "admin") {
        http::HttpRequest request;
        request.method = method;
        auto question = target.find('?');
        request.path = "/networking" + target.substr(0, question);
        if (question != std::string::npos) {
            request.query = target.substr(question + 1);
            request.query_params = http::parse_query(request.query);
        }
        request.target = "/networking" + target;
        request.headers["x-project"] = project;
        if (!body.is_null()) {
            request.body = body.dump();
        }
        auto response = service_->handle(request);
        return {response.status,
                response.body.empty() ? json() : json::parse(response.body, nullptr, false)};
    }

    json one(const std::string& collection, const std::string& query) {
        auto listed = call("GET", "/v2.0/" + collection + "?" + query);
        EXPECT_EQ(listed.status, 200);
        EXPECT_EQ(listed.body[collection].size(), 1u) << listed.body.dump();
        return listed.body[collection][0];
    }

    static std::string error_message(const Answer& answer, int status, const std::string& type) {
        EXPECT_EQ(answer.status, status) << answer.body.dump();
        EXPECT_EQ(answer.body["NeutronError"]["type"], type) << answer.body.dump();
        return answer.body["NeutronError"].value("message", "");
    }

    // A network with one subnet of cidr owned by project; {network, subnet}.
    std::pair<json, json> network(const std::string& cidr, const std::string& project = "admin",
                                  const json& subnet_extra = json::object()) {
        auto net = call("POST", "/v2.0/networks", {{"network", {{"name", "n"}}}}, project);
        EXPECT_EQ(net.status, 201);
        json subnet = {
            {"network_id", net.body["network"]["id"]}, {"cidr", cidr}, {"ip_version", 4}};
        subnet.update(subnet_extra);
        auto sub = call("POST", "/v2.0/subnets", {{"subnet", subnet}}, project);
        EXPECT_EQ(sub.status, 201) << sub.body.dump();
        return {net.body["network"], sub.body["subnet"]};
    }

    json router(const std::string& name, const json& gateway = nullptr,
                const std::string& project = "admin") {
        json body = {{"name", name}};
        if (!gateway.is_null()) {
            body["external_gateway_info"] = gateway;
        }
        auto made = call("POST", "/v2.0/routers", {{"router", body}}, project);
        EXPECT_EQ(made.status, 201) << made.body.dump();
        return made.body["router"];
    }

    std::string path(const json& router, const std::string& action = "") {
        return "/v2.0/routers/" + router["id"].get<std::string>() +
               (action.empty() ? "" : "/" + action);
    }

    SystemClock clock_;
    std::unique_ptr<db::SqliteDatabase> db_;
    std::unique_ptr<NetworkStore> store_;
    std::unique_ptr<NeutronService> service_;
    int changes_ = 0;
};

TEST_F(RouterServiceTest, RouteTableAnswersNeutronsNotFoundAndMethodNotAllowed) {
    auto [net, subnet] = network("10.50.0.0/24");
    const std::string item = "/v2.0/networks/" + net["id"].get<std::string>();
    const std::vector<std::tuple<const char*, std::string, int, const char*>> cases = {
        {"GET", "/v2.0/trunks", 404, "HTTPNotFound"},
        {"GET", item + "/extra", 404, "HTTPNotFound"},
        {"PUT", item + "/add_router_interface", 404, "HTTPNotFound"},
        {"POST", item, 405, "HTTPMethodNotAllowed"},
        {"PATCH", "/v2.0/ports", 405, "HTTPMethodNotAllowed"},
        {"GET", path(router("r1"), "add_router_interface"), 405, "HTTPMethodNotAllowed"},
        {"POST", "/v2.0/extensions", 405, "HTTPMethodNotAllowed"}};
    for (const auto& [method, target, status, type] : cases) {
        error_message(call(method, target), status, type);
    }
    // Trailing slashes and a ".json" suffix reach the same route; HEAD is GET without a body.
    EXPECT_EQ(call("GET", item + "/").body["network"]["id"], net["id"]);
    EXPECT_EQ(call("GET", "/v2.0/subnets.json").status, 200);
    auto head = call("HEAD", item);
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.is_null());
}

TEST_F(RouterServiceTest, FirstStartMakesTheRouterOnce) {
    json provider = one("networks", "name=provider");
    json selfservice = one("subnets", "name=selfservice");
    json r = one("routers", "name=router");
    EXPECT_EQ(r["external_gateway_info"]["network_id"], provider["id"]);
    EXPECT_EQ(r["external_gateway_info"]["enable_snat"], true);
    EXPECT_EQ(r["external_gateway_info"]["external_fixed_ips"][0]["ip_address"], "127.20.0.2");
    for (const char* key : {"routes", "availability_zone_hints", "tags"}) {
        EXPECT_EQ(r[key], json::array()) << key;
    }
    EXPECT_EQ(r["status"], "ACTIVE");
    EXPECT_EQ(r["project_id"], "admin");
    json gateway = one("ports", "device_owner=network:router_gateway");
    EXPECT_EQ(gateway["device_id"], r["id"]);
    EXPECT_EQ(gateway["project_id"], "");
    EXPECT_EQ(gateway["network_id"], provider["id"]);
    json interface = one("ports", "device_owner=network:router_interface");
    EXPECT_EQ(interface["device_id"], r["id"]);
    EXPECT_EQ(interface["fixed_ips"],
              json::array({{{"subnet_id", selfservice["id"]}, {"ip_address", "127.10.0.1"}}}));

    // Another start leaves it alone; once deleted on purpose it stays deleted.
    ASSERT_TRUE(bootstrap_networks(*store_, "admin", {}));
    EXPECT_EQ(call("GET", "/v2.0/routers").body["routers"].size(), 1u);
    EXPECT_EQ(
        call("PUT", path(r, "remove_router_interface"), {{"subnet_id", selfservice["id"]}}).status,
        200);
    EXPECT_EQ(call("DELETE", path(r)).status, 204);
    ASSERT_TRUE(bootstrap_networks(*store_, "admin", {}));
    EXPECT_EQ(call("GET", "/v2.0/routers").body["routers"], json::array());
    // The gateway port went with the router, and its address is free again.
    EXPECT_EQ(call("GET", "/v2.0/ports?device_id=" + r["id"].get<std::string>()).body["ports"],
              json::array());
    auto reused =
        call("POST", "/v2.0/ports",
             {{"port",
               {{"network_id", provider["id"]}, {"fixed_ips", {{{"ip_address", "127.20.0.2"}}}}}}});
    EXPECT_EQ(reused.status, 201) << reused.body.dump();
}

TEST_F(RouterServiceTest, GatewayRulesAndNothingHalfWritten) {
    auto [internal, internal_subnet] = network("10.1.0.0/24");
    const std::string internal_id = internal["id"].get<std::string>();
    auto before = call("GET", "/v2.0/routers").body["routers"].size();
    auto refused = call(
        "POST", "/v2.0/routers",
        {{"router", {{"name", "x"}, {"external_gateway_info", {{"network_id", internal_id}}}}}});
    EXPECT_EQ(error_message(refused, 400, "BadRequest"),
              "Bad router request: Network " + internal_id + " is not an external network.");
    const std::string missing = "0b9e8a8c-1111-4222-8333-444455556666";
    auto unknown = call("POST", "/v2.0/routers",
                        {{"router", {{"external_gateway_info", {{"network_id", missing}}}}}});
    EXPECT_EQ(error_message(unknown, 404, "NetworkNotFound"),
              "Network " + missing + " could not be found.");
    EXPECT_EQ(call("GET", "/v2.0/routers").body["routers"].size(), before);
    EXPECT_EQ(changes_, 2);  // the network and its subnet only

    // Set, re-address (admin), move to another external network, clear.
    json provider = one("networks", "name=provider");
    json provider_subnet = one("subnets", "name=provider-subnet");
    json r = router("r");
    auto set = call("PUT", path(r),
                    {{"router", {{"external_gateway_info", {{"network_id", provider["id"]}}}}}});
    ASSERT_EQ(set.status, 200) << set.body.dump();
    json gateway_port = one("ports", "device_id=" + r["id"].get<std::string>());
    auto readdressed =
        call("PUT", path(r),
             {{"router",
               {{"external_gateway_info",
                 {{"network_id", provider["id"]},
                  {"enable_snat", false},
                  {"external_fixed_ips",
                   {{{"subnet_id", provider_subnet["id"]}, {"ip_address", "127.20.9.9"}}}}}}}}});
    ASSERT_EQ(readdressed.status, 200) << readdressed.body.dump();
    EXPECT_EQ(readdressed.body["router"]["external_gateway_info"],
              json({{"network_id", provider["id"]},
                    {"enable_snat", false},
                    {"external_fixed_ips",
                     {{{"subnet_id", provider_subnet["id"]}, {"ip_address", "127.20.9.9"}}}}}));
    json same_port = one("ports", "device_id=" + r["id"].get<std::string>());
    EXPECT_EQ(same_port["id"], gateway_port["id"]);
    EXPECT_EQ(same_port["fixed_ips"][0]["ip_address"], "127.20.9.9");

    auto other = call("POST", "/v2.0/networks",
                      {{"network", {{"name", "ext2"}, {"router:external", true}}}});
    ASSERT_EQ(other.status, 201);
    auto other_subnet = call("POST", "/v2.0/subnets",
                             {{"subnet",
                               {{"network_id", other.body["network"]["id"]},
                                {"cidr", "10.200.0.0/24"},
                                {"ip_version", 4}}}});
    ASSERT_EQ(other_subnet.status, 201);
    auto moved = call(
        "PUT", path(r),
        {{"router", {{"external_gateway_info", {{"network_id", other.body["network"]["id"]}}}}}});
    ASSERT_EQ(moved.status, 200) << moved.body.dump();
    json new_port = one("ports", "device_id=" + r["id"].get<std::string>());
    EXPECT_NE(new_port["id"], gateway_port["id"]);
    EXPECT_EQ(new_port["fixed_ips"][0]["ip_address"], "10.200.0.2");
    // Deleting a network or subnet the gateway port uses is refused.
    error_message(
        call("DELETE", "/v2.0/networks/" + other.body["network"]["id"].get<std::string>()), 409,
        "NetworkInUse");
    error_message(
        call("DELETE", "/v2.0/subnets/" + other_subnet.body["subnet"]["id"].get<std::string>()),
        409, "SubnetInUse");
    auto cleared = call("PUT", path(r), {{"router", {{"external_gateway_info", json::object()}}}});
    ASSERT_EQ(cleared.status, 200);
    EXPECT_TRUE(cleared.body["router"]["external_gateway_info"].is_null());
    EXPECT_EQ(call("GET", "/v2.0/ports?device_id=" + r["id"].get<std::string>()).body["ports"],
              json::array());
    EXPECT_EQ(
        call("DELETE", "/v2.0/networks/" + other.body["network"]["id"].get<std::string>()).status,
        204);
}

TEST_F(RouterServiceTest, InterfaceRules) {
    auto [net, subnet] = network("10.2.0.0/24");
    auto [overlapping_net, overlapping] = network("10.2.0.0/25");
    auto [bare_net, no_gateway] = network("10.3.0.0/24", "admin", {{"gateway_ip", nullptr}});
    json r = router("r");
    const std::string rid = r["id"].get<std::string>();
    auto added = call("PUT", path(r, "add_router_interface"), {{"subnet_id", subnet["id"]}});
    ASSERT_EQ(added.status, 200) << added.body.dump();
    EXPECT_EQ(added.body["id"], rid);
    EXPECT_EQ(added.body["subnet_id"], subnet["id"]);
    EXPECT_EQ(added.body["subnet_ids"], json::array({subnet["id"]}));
    EXPECT_EQ(added.body["network_id"], net["id"]);
    const std::string interface_port = added.body["port_id"].get<std::string>();
    json port = call("GET", "/v2.0/ports/" + interface_port).body["port"];
    EXPECT_EQ(port["device_owner"], "network:router_interface");
    EXPECT_EQ(port["fixed_ips"][0]["ip_address"], "10.2.0.1");

    const std::string sid = subnet["id"].get<std::string>();
    EXPECT_EQ(error_message(call("PUT", path(r, "add_router_interface"), {{"subnet_id", sid}}), 400,
                            "BadRequest"),
              "Bad router request: Router already has a port on subnet " + sid + ".");
    EXPECT_EQ(error_message(
                  call("PUT", path(r, "add_router_interface"), {{"subnet_id", overlapping["id"]}}),
                  400, "BadRequest"),
              "Bad router request: Cidr 10.2.0.0/25 of subnet " +
                  overlapping["id"].get<std::string>() +
                  " overlaps with cidr 10.2.0.0/24 of subnet " + sid + ".");
    EXPECT_EQ(error_message(
                  call("PUT", path(r, "add_router_interface"), {{"subnet_id", no_gateway["id"]}}),
                  400, "BadRequest"),
              "Bad router request: Subnet for router interface must have a gateway IP.");
    auto [other_net, other_subnet] = network("10.4.0.0/24");
    auto used = call("POST", "/v2.0/ports",
                     {{"port", {{"network_id", other_net["id"]}, {"device_id", "vm-1"}}}});
    const std::string used_id = used.body["port"]["id"].get<std::string>();
    EXPECT_EQ(error_message(call("PUT", path(r, "add_router_interface"), {{"port_id", used_id}}),
                            409, "PortInUse"),
              "Unable to complete operation on port " + used_id + " for network " +
                  other_net["id"].get<std::string>() +
                  ". Port already has an attached device vm-1.");
    const std::string missing = "0b9e8a8c-1111-4222-8333-444455556666";
    EXPECT_EQ(error_message(call("PUT", path(r, "remove_router_interface"), {{"port_id", missing}}),
                            404, "RouterInterfaceNotFound"),
              "Router " + rid + " does not have an interface with id " + missing);
    EXPECT_EQ(
        error_message(
            call("PUT", path(r, "remove_router_interface"), {{"subnet_id", other_subnet["id"]}}),
            404, "RouterInterfaceNotFoundForSubnet"),
        "Router " + rid + " has no interface on subnet " + other_subnet["id"].get<std::string>());
    EXPECT_EQ(error_message(call("PUT", path(r, "remove_router_interface"),
                                 {{"port_id", interface_port}, {"subnet_id", other_subnet["id"]}}),
                            400, "SubnetMismatchForPort"),
              "Subnet on port " + interface_port + " does not match the requested subnet " +
                  other_subnet["id"].get<std::string>() + ".");

    // In use: the router, the port, the subnet and the network.
    EXPECT_EQ(error_message(call("DELETE", path(r)), 409, "RouterInUse"),
              "Router " + rid + " has ports still attached: " + interface_port);
    EXPECT_EQ(
        error_message(call("DELETE", "/v2.0/ports/" + interface_port), 409, "ServicePortInUse"),
        "Port " + interface_port +
            " cannot be deleted directly via the port API: has device owner "
            "network:router_interface.");
    error_message(call("DELETE", "/v2.0/subnets/" + sid), 409, "SubnetInUse");
    error_message(call("DELETE", "/v2.0/networks/" + net["id"].get<std::string>()), 409,
                  "NetworkInUse");

    // A port of the caller becomes an interface and is deleted when removed.
    auto own = call("POST", "/v2.0/ports", {{"port", {{"network_id", other_net["id"]}}}});
    const std::string own_id = own.body["port"]["id"].get<std::string>();
    auto by_port = call("PUT", path(r, "add_router_interface"), {{"port_id", own_id}});
    ASSERT_EQ(by_port.status, 200) << by_port.body.dump();
    json taken = call("GET", "/v2.0/ports/" + own_id).body["port"];
    EXPECT_EQ(taken["device_id"], rid);
    EXPECT_EQ(taken["device_owner"], "network:router_interface");
    EXPECT_EQ(call("PUT", path(r, "remove_router_interface"), {{"port_id", own_id}}).status, 200);
    EXPECT_EQ(call("GET", "/v2.0/ports/" + own_id).status, 404);
    EXPECT_EQ(call("PUT", path(r, "remove_router_interface"), {{"subnet_id", sid}}).status, 200);
    EXPECT_EQ(call("GET", "/v2.0/ports/" + interface_port).status, 404);
    EXPECT_EQ(call("DELETE", path(r)).status, 204);
    EXPECT_EQ(call("DELETE", "/v2.0/subnets/" + sid).status, 204);
}

TEST_F(RouterServiceTest, FloatingIpGoesThroughARouter) {
    const std::string demo = "demo";
    auto [net, subnet] = network("10.5.0.0/24", demo);
    json provider = one("networks", "name=provider");
    auto target = call("POST", "/v2.0/ports", {{"port", {{"network_id", net["id"]}}}}, demo);
    const std::string port_id = target.body["port"]["id"].get<std::string>();
    auto fip = call("POST", "/v2.0/floatingips",
                    {{"floatingip", {{"floating_network_id", provider["id"]}}}}, demo);
    ASSERT_EQ(fip.status, 201);
    const std::string fip_path =
        "/v2.0/floatingips/" + fip.body["floatingip"]["id"].get<std::string>();
    const std::string expected =
        "External network " + provider["id"].get<std::string>() + " is not reachable from subnet " +
        subnet["id"].get<std::string>() + ".  Therefore, cannot associate Port " + port_id +
        " with a Floating IP.";
    EXPECT_EQ(error_message(call("PUT", fip_path, {{"floatingip", {{"port_id", port_id}}}}, demo),
                            404, "ExternalGatewayForFloatingIPNotFound"),
              expected);
    // Associating at creation is refused the same way and leaves no floating IP behind.
    auto count = call("GET", "/v2.0/floatingips", nullptr, demo).body["floatingips"].size();
    EXPECT_EQ(
        error_message(
            call("POST", "/v2.0/floatingips",
                 {{"floatingip", {{"floating_network_id", provider["id"]}, {"port_id", port_id}}}},
                 demo),
            404, "ExternalGatewayForFloatingIPNotFound"),
        expected);
    EXPECT_EQ(call("GET", "/v2.0/floatingips", nullptr, demo).body["floatingips"].size(), count);
    error_message(call("PUT", fip_path, {{"floatingip", {{"fixed_ip_address", "10.5.0.2"}}}}, demo),
                  400, "BadRequest");

    // A router with an interface but no gateway is not enough; with the gateway it is.
    json r = router("edge", nullptr, demo);
    ASSERT_EQ(
        call("PUT", path(r, "add_router_interface"), {{"subnet_id", subnet["id"]}}, demo).status,
        200);
    error_message(call("PUT", fip_path, {{"floatingip", {{"port_id", port_id}}}}, demo), 404,
                  "ExternalGatewayForFloatingIPNotFound");
    ASSERT_EQ(
        call("PUT", path(r),
             {{"router", {{"external_gateway_info", {{"network_id", provider["id"]}}}}}}, demo)
            .status,
        200);
    auto associated = call("PUT", fip_path, {{"floatingip", {{"port_id", port_id}}}}, demo);
    ASSERT_EQ(associated.status, 200) << associated.body.dump();
    EXPECT_EQ(associated.body["floatingip"]["router_id"], r["id"]);
    EXPECT_EQ(associated.body["floatingip"]["port_details"]["network_id"], net["id"]);

    const std::string rid = r["id"].get<std::string>();
    EXPECT_EQ(error_message(call("PUT", path(r, "remove_router_interface"),
                                 {{"subnet_id", subnet["id"]}}, demo),
                            409, "RouterInterfaceInUseByFloatingIP"),
              "Router interface for subnet " + subnet["id"].get<std::string>() + " on router " +
                  rid + " cannot be deleted, as it is required by one or more floating IPs.");
    EXPECT_EQ(error_message(
                  call("PUT", path(r), {{"router", {{"external_gateway_info", nullptr}}}}, demo),
                  409, "RouterExternalGatewayInUseByFloatingIp"),
              "Gateway cannot be updated for router " + rid +
                  ", since a gateway to external network " + provider["id"].get<std::string>() +
                  " is required by one or more floating IPs.");
    auto gone = call("PUT", fip_path, {{"floatingip", {{"port_id", nullptr}}}}, demo);
    ASSERT_EQ(gone.status, 200);
    EXPECT_TRUE(gone.body["floatingip"]["router_id"].is_null());
    EXPECT_EQ(call("PUT", path(r), {{"router", {{"external_gateway_info", nullptr}}}}, demo).status,
              200);
    // Another project sees neither the router nor may it change it.
    EXPECT_EQ(call("GET", path(r), nullptr, "nosy").status, 404);
    EXPECT_EQ(call("GET", "/v2.0/routers", nullptr, "nosy").body["routers"], json::array());
    error_message(
        call("PUT", path(r, "remove_router_interface"), {{"subnet_id", subnet["id"]}}, "nosy"), 404,
        "RouterNotFound");
}

TEST_F(RouterServiceTest, ChangeHookAfterEverySuccessfulChangeOnly) {
    json r = router("r");
    EXPECT_EQ(changes_, 1);
    call("GET", path(r));
    call("GET", "/v2.0/routers");
    EXPECT_EQ(changes_, 1);
    call("PUT", path(r), {{"router", {{"name", "renamed"}}}});
    EXPECT_EQ(changes_, 2);
    call("PUT", path(r), {{"router", {{"bogus", 1}}}});
    call("DELETE", "/v2.0/routers/0b9e8a8c-1111-4222-8333-444455556666");
    EXPECT_EQ(changes_, 2);
    json subnet = one("subnets", "name=selfservice");
    // The first-start router already holds selfservice's gateway address.
    error_message(call("PUT", path(r, "add_router_interface"), {{"subnet_id", subnet["id"]}}), 409,
                  "IpAddressAlreadyAllocated");
    EXPECT_EQ(changes_, 2);
    auto [net, own] = network("10.6.0.0/24");
    EXPECT_EQ(changes_, 4);
    EXPECT_EQ(call("PUT", path(r, "add_router_interface"), {{"subnet_id", own["id"]}}).status, 200);
    EXPECT_EQ(changes_, 5);
    EXPECT_EQ(call("PUT", path(r, "remove_router_interface"), {{"subnet_id", own["id"]}}).status,
              200);
    EXPECT_EQ(changes_, 6);
    EXPECT_EQ(call("DELETE", path(r)).status, 204);
    EXPECT_EQ(changes_, 7);
}

TEST_F(RouterServiceTest, ExtraRoutesNeedAConnectedNexthop) {
    auto [net, subnet] = network("10.7.0.0/24");
    json r = router("r");
    const std::string rid = r["id"].get<std::string>();
    auto unconnected = call(
        "PUT", path(r),
        {{"router", {{"routes", {{{"destination", "192.168.0.0/24"}, {"nexthop", "10.7.0.9"}}}}}}});
    EXPECT_EQ(error_message(unconnected, 400, "InvalidRoutes"),
              "Invalid format for routes: [{'destination': '192.168.0.0/24', 'nexthop': "
              "'10.7.0.9'}], the nexthop is not connected with router.");
    ASSERT_EQ(call("PUT", path(r, "add_router_interface"), {{"subnet_id", subnet["id"]}}).status,
              200);
    auto own = call(
        "PUT", path(r),
        {{"router", {{"routes", {{{"destination", "192.168.0.0/24"}, {"nexthop", "10.7.0.1"}}}}}}});
    EXPECT_EQ(error_message(own, 400, "InvalidRoutes"),
              "Invalid format for routes: [{'destination': '192.168.0.0/24', 'nexthop': "
              "'10.7.0.1'}], the nexthop is used by router.");
    auto set = call(
        "PUT", path(r),
        {{"router", {{"routes", {{{"destination", "192.168.0.9/24"}, {"nexthop", "10.7.0.9"}}}}}}});
    ASSERT_EQ(set.status, 200) << set.body.dump();
    EXPECT_EQ(set.body["router"]["routes"],
              json::array({{{"destination", "192.168.0.0/24"}, {"nexthop", "10.7.0.9"}}}));
    EXPECT_EQ(error_message(
                  call("PUT", path(r, "remove_router_interface"), {{"subnet_id", subnet["id"]}}),
                  409, "RouterInterfaceInUseByRoute"),
              "Router interface for subnet " + subnet["id"].get<std::string>() + " on router " +
                  rid + " cannot be deleted, as it is required by one or more routes.");
    ASSERT_EQ(call("PUT", path(r), {{"router", {{"routes", json::array()}}}}).status, 200);
    EXPECT_EQ(call("PUT", path(r, "remove_router_interface"), {{"subnet_id", subnet["id"]}}).status,
              200);
}

TEST_F(RouterServiceTest, AFailingHookLeavesTheCommittedAnswer) {
    service_->set_on_change([this] {
        ++changes_;
        throw std::runtime_error("driver down");
    });
    auto made = call("POST", "/v2.0/routers", {{"router", {{"name", "kept"}}}});
    EXPECT_EQ(made.status, 201);
    EXPECT_EQ(changes_, 1);
    EXPECT_EQ(call("GET", "/v2.0/routers?name=kept").body["routers"].size(), 1u);
}

}  // namespace
}  // namespace octane::networking
