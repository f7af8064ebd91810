#include "net/nft.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <iterator>
#include <memory>
#include <mutex>

#include <nftables/libnftables.h>

#include "net/counters.h"
#include "net/net_error.h"
#include "net/netns.h"

namespace octane::net {
namespace {

// libnftables keeps process-wide state (parser, symbol tables) that is not documented as safe
// to use from several threads at once, so transactions are serialised.
std::mutex& nft_mutex() {
    static std::mutex mutex;
    return mutex;
}

struct NftFree {
    void operator()(nft_ctx* ctx) const { nft_ctx_free(ctx); }
};

std::string trimmed(const char* text) {
    std::string result = text == nullptr ? "" : text;
    while (!result.empty() && (result.back() == '\n' || result.back() == ' ')) {
        result.pop_back();
    }
    return result;
}

// The context, and with it the netlink socket libnftables opens, is made and freed inside ns.
Result<std::string> run_nft(const std::string& ns, const std::string& commands,
                            const std::string& action) {
    std::lock_guard lock(nft_mutex());
    std::string output;
    auto ran = in_netns(ns, [&]() -> Result<void> {
        std::unique_ptr<nft_ctx, NftFree> ctx(nft_ctx_new(NFT_CTX_DEFAULT));
        if (!ctx) {
            return system_error(action + ": nft_ctx_new", ns, "", ENOMEM);
        }
        if (nft_ctx_buffer_output(ctx.get()) != 0 || nft_ctx_buffer_error(ctx.get()) != 0) {
            return system_error(action + ": buffer nft output", ns, "", ENOMEM);
        }
        if (nft_run_cmd_from_buffer(ctx.get(), commands.c_str()) != 0) {
            const std::string message = trimmed(nft_ctx_get_error_buffer(ctx.get()));
            return make_error(action + " in " + describe_place(ns) + ": " +
                                  (message.empty() ? "nft failed" : message),
                              EINVAL);
        }
        output = nft_ctx_get_output_buffer(ctx.get());
        return {};
    });
    if (!ran) {
        return Unexpected(std::move(ran.error()));
    }
    return output;
}

// Both end up inside an nft command line; anything but a plain name would change its meaning.
bool valid_table_reference(const std::string& family, const std::string& table) {
    static const char* const families[] = {"ip", "ip6", "inet", "arp", "bridge", "netdev"};
    const bool known_family = std::any_of(std::begin(families), std::end(families),
                                          [&](const char* known) { return family == known; });
    const bool plain_name = !table.empty() && std::all_of(table.begin(), table.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
    return known_family && plain_name && std::isalpha(static_cast<unsigned char>(table.front()));
}

}  // namespace

Result<void> nft_apply(const std::string& ns, const std::string& commands) {
    count_nft_transaction();
    auto ran = run_nft(ns, commands, "nft transaction");
    if (!ran) {
        return Unexpected(std::move(ran.error()));
    }
    return {};
}

Result<std::string> nft_list_ruleset(const std::string& ns) {
    return run_nft(ns, "list ruleset", "nft list ruleset");
}

Result<void> nft_delete_table(const std::string& ns, const std::string& family,
                              const std::string& table) {
    if (!valid_table_reference(family, table)) {
        return make_error("nft delete table: invalid table '" + family + " " + table + "' in " +
                              describe_place(ns),
                          EINVAL);
    }
    // Declaring the table first makes the delete succeed when it was missing, in the same
    // transaction (nft 1.0.6 has no `destroy`).
    return nft_apply(
        ns, "table " + family + " " + table + "\ndelete table " + family + " " + table + "\n");
}

}  // namespace octane::net
