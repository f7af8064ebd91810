#pragma once

// nftables rulesets inside a namespace through libnftables: the router's NAT for floating IPs.

#include <string>

#include "common/result.h"

namespace octane::net {

// Runs commands (nft syntax, several lines) as one atomic transaction inside ns: all of it is
// applied or, on any error, none of it; the error carries nft's own message.
// The usual replace idiom: "table ip x\ndelete table ip x\ntable ip x { ... }".
Result<void> nft_apply(const std::string& ns, const std::string& commands);

// `nft list ruleset` inside ns.
Result<std::string> nft_list_ruleset(const std::string& ns);

// Deletes one table; missing is success.
Result<void> nft_delete_table(const std::string& ns, const std::string& family,
                              const std::string& table);

}  // namespace octane::net
