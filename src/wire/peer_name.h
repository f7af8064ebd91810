#pragma once

// The haproxy peer name of an amphora: base64(sha1(amphora id)) with the alphabet's `+` and `/`
// replaced by `_` and `-` and the `=` padding removed (Octavia's hash_amp_id filter; haproxy limits
// peer names). The controller renders it into `peers`, the agent passes it as `-L` when checking.

#include <string>
#include <string_view>

namespace octane::wire {

std::string peer_name(std::string_view amphora_id);

}  // namespace octane::wire
