#pragma once

// Translation of a libnl link object into the library's LinkInfo.

#include <string>

#include <netlink/route/link.h>

#include "net/links.h"

namespace octane::net {

// master_name: the name of the link's master (looked up by the caller), or "".
LinkInfo describe_link(rtnl_link* link, const std::string& master_name);

}  // namespace octane::net
