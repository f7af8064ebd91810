#pragma once

// Reads what the L7 rules may ask of a TLS client connection (http/tls_facts.h) from OpenSSL,
// once per connection, after the handshake.

#include <openssl/ssl.h>

#include "proxy/http/tls_facts.h"

namespace octane::proxy::tls {

http::TlsFacts read_tls_facts(const SSL* ssl);

}  // namespace octane::proxy::tls
