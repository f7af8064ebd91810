#include <cerrno>

#include <linux/fib_rules.h>
#include <netlink/errno.h>

#include "net/net_error.h"
#include "net/route_socket.h"
#include "net/routes.h"

namespace octane::net {
namespace {

Result<RulePtr> rule_request(const std::string& ns, const std::string& from_cidr, uint32_t table,
                             uint32_t priority, const std::string& action) {
    auto from = parse_nl_address(from_cidr);
    if (!from) {
        return make_error(action + " in " + describe_place(ns) + ": " + from.error().message,
                          EINVAL);
    }
    RulePtr rule(rtnl_rule_alloc());
    rtnl_rule_set_family(rule.get(), nl_addr_get_family(from->get()));
    if (const int err = rtnl_rule_set_src(rule.get(), from->get()); err < 0) {
        return netlink_error(action, ns, "", err);
    }
    rtnl_rule_set_table(rule.get(), table);
    rtnl_rule_set_prio(rule.get(), priority);
    rtnl_rule_set_action(rule.get(), FR_ACT_TO_TBL);
    return rule;
}

// Sends one rule request; tolerated is the libnl error that means "already as asked".
Result<void> send_rule(const std::string& ns, const std::string& from_cidr, uint32_t table,
                       uint32_t priority, const std::string& verb,
                       int (*send)(nl_sock*, rtnl_rule*), int tolerated) {
    const std::string action =
        verb + " rule from " + from_cidr + " lookup " + std::to_string(table);
    auto rule = rule_request(ns, from_cidr, table, priority, action);
    if (!rule) {
        return Unexpected(std::move(rule.error()));
    }
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    const int err = socket->request([&](nl_sock* sk) { return send(sk, rule->get()); });
    if (err < 0 && err != tolerated) {
        return netlink_error(action, ns, "", err);
    }
    return {};
}

}  // namespace

Result<void> add_rule(const std::string& ns, const std::string& from_cidr, uint32_t table,
                      uint32_t priority) {
    // Without NLM_F_EXCL the kernel would add a duplicate rule on every call.
    return send_rule(
        ns, from_cidr, table, priority, "add",
        [](nl_sock* sk, rtnl_rule* rule) { return rtnl_rule_add(sk, rule, NLM_F_EXCL); },
        -NLE_EXIST);
}

Result<void> delete_rule(const std::string& ns, const std::string& from_cidr, uint32_t table,
                         uint32_t priority) {
    return send_rule(
        ns, from_cidr, table, priority, "delete",
        [](nl_sock* sk, rtnl_rule* rule) { return rtnl_rule_delete(sk, rule, 0); },
        -NLE_OBJ_NOTFOUND);
}

Result<std::vector<PolicyRule>> list_rules(const std::string& ns) {
    auto socket = RouteSocket::open(ns);
    if (!socket) {
        return Unexpected(std::move(socket.error()));
    }
    nl_cache* cache = nullptr;
    if (const int err = socket->request(
            [&](nl_sock* sk) { return rtnl_rule_alloc_cache(sk, AF_UNSPEC, &cache); });
        err < 0) {
        return netlink_error("list rules", ns, "", err);
    }
    CachePtr owned(cache);
    std::vector<PolicyRule> rules;
    for (nl_object* object = nl_cache_get_first(cache); object != nullptr;
         object = nl_cache_get_next(object)) {
        auto* rule = reinterpret_cast<rtnl_rule*>(object);
        if (rtnl_rule_get_action(rule) != FR_ACT_TO_TBL) {
            continue;
        }
        PolicyRule listed;
        nl_addr* from = rtnl_rule_get_src(rule);
        listed.from = from == nullptr || nl_addr_get_prefixlen(from) == 0
                          ? "all"
                          : address_text(from) + "/" + std::to_string(nl_addr_get_prefixlen(from));
        listed.table = rtnl_rule_get_table(rule);
        listed.priority = rtnl_rule_get_prio(rule);
        rules.push_back(listed);
    }
    return rules;
}

}  // namespace octane::net
