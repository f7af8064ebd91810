#pragma once

// OpenSSL reports failures through a per-thread error queue; messages quote it.

#include <string>

namespace octane {

// The text of this thread's OpenSSL error queue, "; "-separated, and the queue emptied.
std::string openssl_errors();

}  // namespace octane
