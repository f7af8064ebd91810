#pragma once

// The one place where user-supplied text is made safe for haproxy.cfg. Octavia renders through
// Jinja with autoescaping on, so every interpolated value is HTML-escaped (a `"` becomes `&#34;`);
// we reproduce that byte for byte. L7 rule values are additionally escaped for the haproxy
// tokenizer (backslash doubled, space as `\ `) so a value stays one word.

#include <string>
#include <string_view>

namespace octane::render {

// Jinja/markupsafe autoescape: & < > " ' -> &amp; &lt; &gt; &#34; &#39;. Applied by the emitter to
// every dynamic value it writes.
std::string esc(std::string_view value);

// haproxy word escaping for L7 rule values: `\` -> `\\`, ` ` -> `\ `, then esc().
std::string esc_l7_value(std::string_view value);

// log-format value: spaces escaped as `\ ` (the format is one haproxy word), then esc().
std::string esc_log_format(std::string_view format);

// True when the value is non-empty and holds no whitespace or control characters, i.e. it can be
// written as one haproxy word without escaping (ids, addresses, URLs, cipher strings, names).
bool is_single_word(std::string_view value);

}  // namespace octane::render
