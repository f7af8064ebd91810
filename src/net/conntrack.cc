#include "net/conntrack.h"

#include <cerrno>
#include <memory>
#include <vector>

#include <arpa/inet.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "net/counters.h"
#include "net/net_error.h"
#include "net/netns.h"

namespace octane::net {
namespace {

struct HandleClose {
    void operator()(nfct_handle* handle) const { nfct_close(handle); }
};
struct EntryDestroy {
    void operator()(nf_conntrack* entry) const { nfct_destroy(entry); }
};
using Handle = std::unique_ptr<nfct_handle, HandleClose>;
using Entry = std::unique_ptr<nf_conntrack, EntryDestroy>;

struct DumpFilter {
    uint32_t address = 0;  // network byte order, as libnetfilter_conntrack returns it
    std::vector<Entry> matched;
};

int collect_matching(enum nf_conntrack_msg_type, nf_conntrack* entry, void* data) {
    auto* filter = static_cast<DumpFilter*>(data);
    if (nfct_get_attr_u8(entry, ATTR_ORIG_L3PROTO) == AF_INET &&
        (nfct_get_attr_u32(entry, ATTR_ORIG_IPV4_SRC) == filter->address ||
         nfct_get_attr_u32(entry, ATTR_ORIG_IPV4_DST) == filter->address)) {
        // The dump's entry is freed when this returns; the delete happens after the dump ends,
        // because a handle cannot send while it is still receiving.
        filter->matched.emplace_back(nfct_clone(entry));
    }
    return NFCT_CB_CONTINUE;
}

}  // namespace

Result<size_t> delete_conntrack_entries(const std::string& ns, const std::string& ipv4) {
    const std::string action = "delete conntrack entries of " + ipv4;
    DumpFilter filter;
    if (inet_pton(AF_INET, ipv4.c_str(), &filter.address) != 1) {
        return make_error(action + " in " + describe_place(ns) + ": not an IPv4 address", EINVAL);
    }
    Handle handle;
    // The netlink socket belongs to the namespace it is opened in.
    auto opened = in_netns(ns, [&]() -> Result<void> {
        handle.reset(nfct_open(CONNTRACK, 0));
        if (!handle) {
            return system_error(action + ": open", ns, "", errno);
        }
        return {};
    });
    if (!opened) {
        return Unexpected(std::move(opened.error()));
    }
    nfct_callback_register(handle.get(), NFCT_T_ALL, collect_matching, &filter);
    uint32_t family = AF_INET;
    count_netlink_requests();
    if (nfct_query(handle.get(), NFCT_Q_DUMP, &family) < 0) {
        return system_error(action + ": dump", ns, "", errno);
    }
    size_t deleted = 0;
    for (const auto& entry : filter.matched) {
        count_netlink_requests();
        if (nfct_query(handle.get(), NFCT_Q_DESTROY, entry.get()) == 0) {
            ++deleted;
        } else if (errno != ENOENT) {
            return system_error(action, ns, "", errno);
        }
    }
    return deleted;
}

}  // namespace octane::net
