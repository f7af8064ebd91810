#include "networking/neutron_service.h"

#include <algorithm>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "common/strings.h"
#include "networking/neutron_bodies.h"
#include "networking/neutron_responses.h"
#include "networking/visibility.h"

namespace octane::networking {
namespace {

using nlohmann::json;

std::string scalar_text(const json& value) {
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_boolean()) {
        return value.get<bool>() ? "true" : "false";
    }
    if (value.is_null()) {
        return "";
    }
    return value.dump();
}

// ?key=value filters (repeated keys: any of), fixed_ips=ip_address=X / subnet_id=X.
bool matches(const json& object, const std::vector<std::pair<std::string, std::string>>& query) {
    static const std::set<std::string> ignored = {"fields",   "limit",        "marker", "sort_key",
                                                  "sort_dir", "page_reverse", "verbose"};
    std::map<std::string, std::vector<std::string>> wanted;
    for (const auto& [key, value] : query) {
        if (!ignored.count(key)) {
            wanted[key].push_back(value);
        }
    }
    for (const auto& [key, values] : wanted) {
        if (key == "fixed_ips") {
            bool any = false;
            for (const auto& value : values) {
                auto eq = value.find('=');
                if (eq == std::string::npos) {
                    continue;
                }
                std::string field = value.substr(0, eq), want = value.substr(eq + 1);
                for (const auto& ip : object.value("fixed_ips", json::array())) {
                    any = any || scalar_text(ip.value(field, json(nullptr))) == want;
                }
            }
            if (!any) {
                return false;
            }
            continue;
        }
        if (!object.contains(key)) {
            continue;  // unknown filters are ignored, as Neutron does without strict filtering
        }
        std::string have = to_lower(scalar_text(object[key]));
        bool boolean = object[key].is_boolean();
        bool any = false;
        for (const auto& value : values) {
            any = any || (boolean ? have == to_lower(value) : scalar_text(object[key]) == value);
        }
        if (!any) {
            return false;
        }
    }
    return true;
}

json select_fields(const json& object, const std::vector<std::pair<std::string, std::string>>& q) {
    std::vector<std::string> fields;
    for (const auto& [key, value] : q) {
        if (key == "fields" && !value.empty()) {
            fields.push_back(value);
        }
    }
    if (fields.empty()) {
        return object;
    }
    json out = json::object();
    for (const auto& field : fields) {
        if (object.contains(field)) {
            out[field] = object[field];
        }
    }
    return out;
}

http::HttpResponse extensions() {
    json list = json::array();
    for (const char* alias :
         {"external-net", "standard-attr-timestamp", "standard-attr-description", "project-id",
          "binding", "fip-port-details", "ip-substring-filtering", "router", "ext-gw-mode",
          "extraroute"}) {
        list.push_back({{"alias", alias},
                        {"name", alias},
                        {"description", ""},
                        {"updated", "2013-01-01T00:00:00-00:00"},
                        {"links", json::array()}});
    }
    return respond(200, {{"extensions", list}});
}

}  // namespace

http::HttpResponse NeutronService::handle(const http::HttpRequest& request) {
    std::string path = request.path;
    if (starts_with(path, "/networking")) {
        path = path.substr(11);
    }
    while (path.size() > 1 && path.back() == '/') {
        path.pop_back();
    }
    if (path.size() > 5 && path.ends_with(".json")) {
        path.resize(path.size() - 5);
    }
    http::HttpResponse response;
    if (path.empty() || path == "/") {
        std::string base =
            public_base_.empty()
                ? "http://" + (request.host.empty() ? std::string("127.0.0.1") : request.host)
                : public_base_;
        response = respond(
            200, {{"versions",
                   json::array({{{"id", "v2.0"},
                                 {"status", "CURRENT"},
                                 {"links", json::array({{{"href", base + "/networking/v2.0/"},
                                                         {"rel", "self"}}})}}})}});
    } else {
        auto caller = authenticate_(request);
        if (!caller) {
            response = caller.error();
        } else {
            try {
                response = route(request, path, *caller);
            } catch (const std::exception& e) {
                spdlog::error("networking {} {}: {}", request.method, request.target, e.what());
                response = fault({500, "HTTPInternalServerError",
                                  "Request Failed: internal server error while processing your"
                                  " request."});
            }
        }
    }
    const bool changed =
        request.method == "POST" || request.method == "PUT" || request.method == "DELETE";
    if (changed && response.status >= 200 && response.status < 300 && on_change_) {
        // The change is committed whatever the hook does; its failure is the driver's to report.
        try {
            on_change_();
        } catch (const std::exception& e) {
            spdlog::error("networking change hook after {} {}: {}", request.method, request.target,
                          e.what());
        }
    }
    if (request.method == "HEAD") {
        response.body.clear();
    }
    return response;
}

NeutronService::NeutronService(NetworkStore& store, Authenticator authenticate,
                               std::string public_base)
    : store_(store), authenticate_(std::move(authenticate)), public_base_(std::move(public_base)) {
    add_routes();
}

void NeutronService::add_routes() {
    auto add = [this](const char* method, const std::string& pattern, NetKind kind, auto member) {
        router_.add(method, pattern, [this, kind, member](const Call& call) {
            return (this->*member)(Call{call.request, call.params, call.caller, kind});
        });
    };
    router_.add("GET", "/v2.0", [](const Call&) {
        return respond(200, {{"resources", json::array()}});
    });
    router_.add("GET", "/v2.0/extensions", [](const Call&) { return extensions(); });
    for (auto kind : {NetKind::kNetwork, NetKind::kSubnet, NetKind::kPort, NetKind::kFloatingIp,
                      NetKind::kRouter}) {
        const std::string collection = "/v2.0/" + std::string(kind_name(kind)) + "s";
        add("GET", collection, kind, &NeutronService::list_objects);
        add("POST", collection, kind, &NeutronService::create_object);
        add("GET", collection + "/{id}", kind, &NeutronService::show_object);
        add("PUT", collection + "/{id}", kind, &NeutronService::update_object);
        add("DELETE", collection + "/{id}", kind, &NeutronService::delete_object);
    }
    router_.add("PUT", "/v2.0/routers/{id}/{action}", [this](const Call& call) {
        return router_interface(call.request, call.params.at("id"), call.params.at("action"),
                                call.caller);
    });
}

http::HttpResponse NeutronService::route(const http::HttpRequest& request, const std::string& path,
                                         const identity::Caller& caller) {
    auto found = router_.find(request.method, path);
    switch (found.outcome) {
        case http::Router<Handler>::Outcome::kNotFound:
            return fault({404, "HTTPNotFound", "The resource could not be found."});
        case http::Router<Handler>::Outcome::kMethodNotAllowed:
            return fault({405, "HTTPMethodNotAllowed", "The method is not allowed."});
        case http::Router<Handler>::Outcome::kFound:
            break;
    }
    return (*found.handler)(Call{request, found.params, caller, NetKind::kNetwork});
}

http::HttpResponse NeutronService::list_objects(const Call& call) {
    const drivers::NetworkCaller viewer{call.caller.project_id, is_admin(call.caller)};
    auto all = store_.list(call.kind);
    if (!all) {
        return fault(all.error());
    }
    const auto& query = call.request.query_params;
    json out = json::array();
    for (const auto& object : *all) {
        if (visible_in(store_, viewer, call.kind, object) && matches(object, query)) {
            out.push_back(select_fields(object, query));
        }
    }
    return respond(200, {{std::string(kind_name(call.kind)) + "s", out}});
}

http::HttpResponse NeutronService::create_object(const Call& call) {
    const NetKind kind = call.kind;
    const bool admin = is_admin(call.caller);
    const std::string project = call.caller.project_id.value_or("");
    const std::string singular = kind_name(kind);
    const drivers::NetworkCaller viewer{call.caller.project_id, admin};
    json body = json::parse(call.request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains(singular)) {
        return fault({400, "HTTPBadRequest",
                      "Failed to parse request. Resource '" + singular + "' not found."});
    }
    auto input = validate_create(kind, body[singular], project, admin);
    if (!input) {
        return fault(input.error());
    }
    // The parent network must be visible; ports and subnets on others' networks need it
    // shared (ports) or owned (subnets).
    std::string parent;
    if (kind == NetKind::kSubnet || kind == NetKind::kPort) {
        parent = input->attrs["network_id"].get<std::string>();
    } else if (kind == NetKind::kFloatingIp) {
        parent = input->attrs["floating_network_id"].get<std::string>();
    } else if (kind == NetKind::kRouter && input->gateway) {
        parent = input->gateway->network_id;
    }
    if (!parent.empty()) {
        auto network = store_.get(NetKind::kNetwork, parent);
        bool shared =
            network && (admin || (*network).value("project_id", "") == project ||
                        (kind != NetKind::kSubnet && ((*network).value("shared", false) ||
                                                      (*network).value("router:external", false))));
        if (!network || !shared) {
            return fault({404, "NetworkNotFound", "Network " + parent + " could not be found."});
        }
    }
    NetResult<json> created = json();
    switch (kind) {
        case NetKind::kNetwork:
            created = store_.create_network(input->attrs);
            break;
        case NetKind::kSubnet:
            created = store_.create_subnet(input->attrs);
            break;
        case NetKind::kPort:
            created = store_.create_port(input->attrs, input->fixed_ips);
            break;
        case NetKind::kFloatingIp:
            if (input->attrs["port_id"].is_string()) {
                auto port = store_.get(NetKind::kPort, input->attrs["port_id"].get<std::string>());
                if (!port || !writable_by(viewer, *port)) {
                    return fault({404, "PortNotFound",
                                  "Port " + input->attrs["port_id"].get<std::string>() +
                                      " could not be found."});
                }
            }
            created = store_.create_floatingip(input->attrs);
            break;
        case NetKind::kRouter:
            created = store_.create_router(input->attrs, input->gateway);
            break;
    }
    if (!created) {
        return fault(created.error());
    }
    return respond(201, {{singular, *created}});
}

Result<json, http::HttpResponse> NeutronService::object_of(const Call& call, bool change) {
    const std::string& id = call.params.at("id");
    const drivers::NetworkCaller viewer{call.caller.project_id, is_admin(call.caller)};
    auto object = store_.get(call.kind, id);
    if (!object || !visible_in(store_, viewer, call.kind, *object)) {
        return Unexpected(fault(not_found_error(call.kind, id)));
    }
    if (change && !writable_by(viewer, *object)) {
        // Neutron hides what the caller cannot see (404 above); what it sees but does not own
        // (a shared or external network, a shared subnet) is a policy refusal.
        std::string action = call.request.method == "DELETE" ? "delete_" : "update_";
        return Unexpected(
            fault({403, "HTTPForbidden",
                   "(rule:" + action + kind_name(call.kind) + ") is disallowed by policy"}));
    }
    return std::move(*object);
}

http::HttpResponse NeutronService::show_object(const Call& call) {
    auto object = object_of(call, false);
    if (!object) {
        return object.error();
    }
    return respond(200,
                   {{kind_name(call.kind), select_fields(*object, call.request.query_params)}});
}

http::HttpResponse NeutronService::delete_object(const Call& call) {
    auto object = object_of(call, true);
    if (!object) {
        return object.error();
    }
    const std::string& id = call.params.at("id");
    const std::string owner = (*object).value("device_owner", "");
    if (call.kind == NetKind::kPort &&
        (owner == "network:floatingip" || owner == "network:router_interface" ||
         owner == "network:router_gateway")) {
        return fault({409, "ServicePortInUse",
                      "Port " + id +
                          " cannot be deleted directly via the port API: has device"
                          " owner " +
                          owner + "."});
    }
    if (auto removed = store_.remove(call.kind, id); !removed) {
        return fault(removed.error());
    }
    http::HttpResponse gone;
    gone.status = 204;
    gone.content_type.clear();
    return gone;
}

http::HttpResponse NeutronService::update_object(const Call& call) {
    auto object = object_of(call, true);
    if (!object) {
        return object.error();
    }
    const std::string& id = call.params.at("id");
    if (call.kind == NetKind::kRouter) {
        return update_router(call.request, id, call.caller);
    }
    const std::string singular = kind_name(call.kind);
    json body = json::parse(call.request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains(singular)) {
        return fault({400, "HTTPBadRequest",
                      "Failed to parse request. Resource '" + singular + "' not found."});
    }
    auto changes = validate_update(call.kind, body[singular], is_admin(call.caller));
    if (!changes) {
        return fault(changes.error());
    }
    if (call.kind == NetKind::kFloatingIp && changes->contains("port_id")) {
        const drivers::NetworkCaller viewer{call.caller.project_id, is_admin(call.caller)};
        std::optional<std::string> port_id, fixed;
        if ((*changes)["port_id"].is_string()) {
            port_id = (*changes)["port_id"].get<std::string>();
            auto port = store_.get(NetKind::kPort, *port_id);
            if (!port || !writable_by(viewer, *port)) {
                return fault({404, "PortNotFound", "Port " + *port_id + " could not be found."});
            }
        } else if (!(*changes)["port_id"].is_null()) {
            return fault({400, "HTTPBadRequest", "Invalid input for port_id."});
        }
        if (changes->contains("fixed_ip_address") && (*changes)["fixed_ip_address"].is_string()) {
            fixed = (*changes)["fixed_ip_address"].get<std::string>();
        }
        auto updated = store_.associate_floatingip(id, port_id, fixed);
        if (!updated) {
            return fault(updated.error());
        }
        return respond(200, {{singular, *updated}});
    }
    auto updated = store_.update(call.kind, id, *changes);
    if (!updated) {
        return fault(updated.error());
    }
    return respond(200, {{singular, *updated}});
}

}  // namespace octane::networking
