#pragma once

// UUIDs as Octavia uses them: canonical lowercase 8-4-4-4-12 strings.

#include <string>
#include <string_view>

namespace octane {

// A random (version 4) UUID from the OS entropy source.
std::string make_uuid();

// A name-based UUID (version 5 layout over SHA-1): the same name always gives the same id.
// The noop drivers use it to invent ports and networks deterministically.
std::string make_name_uuid(std::string_view name);

// True for the canonical textual form, either case, with dashes (as WSME's UuidType accepts),
// and for the 32-hex-digit form without dashes.
bool is_uuid(std::string_view text);

}  // namespace octane
