#pragma once

// What a backend's pick needs from one client connection: the balancer's hash (`balance source`:
// the address; `balance hash <expr>`: the expression's text, e.g. "<address>:<port>") and the key
// of `stick on src`. Shared by the TCP and HTTP sessions so both balance alike.

#include <cstdint>
#include <string>

#include "proxy/balance/balancer.h"
#include "proxy/config/model.h"
#include "proxy/io/address.h"

namespace octane::proxy {

struct PickKeys {
    balance::PickContext ctx;
    std::string src;  // the client address: the stick key
    bool sticky = false;

    const std::string* stick_key() const { return sticky ? &src : nullptr; }
};

// The client's address is turned into text only when the backend reads it.
PickKeys pick_keys(const config::ProxySection& backend, bool has_stick_table, const Endpoint& peer,
                   int avoid);

}  // namespace octane::proxy
