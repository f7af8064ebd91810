#pragma once

// The one place where text that is not the renderer's own is made safe for haproxy.cfg. Every
// dynamic value goes through escape_word(), which writes it so that HAProxy's tokenizer (and
// octane-proxy's, src/proxy/config/tokenizer.h) reads back exactly that text inside one word:
// it cannot end the line, start a comment, open a quote, split into two words or patterns, or
// be decoded into something else.
//
// Octavia renders through Jinja with HTML autoescaping (a `"` becomes `&#34;`) and escapes only
// `\` and space in L7 rule values. HAProxy reads `#` anywhere outside quotes as the start of a
// comment (checked on 2.6: `user nobody#x` is user "nobody"), so those bytes cut a line short
// (Octavia's `-m sub &#34;Mozilla\ 5&#34;` matches "&"), and `\r`, `\n`, `\xHH` in a value are
// decoded into other bytes. We therefore write what the value means instead: the same bytes as
// Octavia for every value made of word characters, and a backslash escape for the others.

#include <string>
#include <string_view>

namespace octane::render {

// `\` `#` `"` `'` and space as `\\` `\#` `\"` `\'` `\ `; tab, CR, LF as `\t` `\r` `\n`; any other
// control byte (and DEL) as `\xHH`; the empty string as `""`.
std::string escape_word(std::string_view value);

// True when the value is non-empty and holds no whitespace or control characters, i.e. it can be
// written as one haproxy word without escaping (ids, addresses, URLs, cipher strings, names).
bool is_single_word(std::string_view value);

}  // namespace octane::render
