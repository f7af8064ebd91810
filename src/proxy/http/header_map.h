#pragma once

// Header edits over a parsed head, and the serializer that re-emits the head with them.
//
// The original fields stay in the receive buffer; edits are a "removed" mark per original field
// plus a short list of added fields, so a typical request (a few set-header lines) costs no copy
// of the untouched headers until serialization, and the body is never touched: the session
// writes serialize()'s output, then forwards body bytes straight from its buffer.
// Lookups see the edited view: a removed field is gone, an added one is visible.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/http/http_message.h"

namespace octane::proxy::http {

class HeaderMap {
  public:
    HeaderMap() = default;
    // Binds to a parsed message; `view`'s buffer must outlive this map's use. Reuses storage.
    explicit HeaderMap(const MessageView& view) { reset(view); }
    void reset(const MessageView& view);

    // First value of `name` (case-insensitive) in the edited head; "" when absent.
    std::string_view get(std::string_view name, bool* found = nullptr) const;
    bool contains(std::string_view name) const;
    // Number of fields named `name` in the edited head.
    size_t count(std::string_view name) const;

    // Calls fn(value) for each `name` field of the edited head (originals, then added); stops when
    // fn returns false. Returns false iff stopped.
    template <typename Fn>
    bool for_each(std::string_view name, Fn&& fn) const {
        for (size_t i = 0; i < head_->headers.size(); ++i) {
            const HeaderField& h = head_->headers[i];
            if (original_visible(i) && iequals(h.name.in(buffer_), name) &&
                !fn(h.value.in(buffer_))) {
                return false;
            }
        }
        for (const Added& a : added_) {
            if (iequals(a.name, name) && !fn(std::string_view(a.value))) {
                return false;
            }
        }
        return true;
    }

    // `http-request set-header`: removes every `name` field, then appends one.
    void set(std::string_view name, std::string_view value);
    // `http-request add-header`: appends a field, keeping existing ones.
    void add(std::string_view name, std::string_view value);
    // `http-request del-header`: removes every `name` field; returns how many went.
    size_t remove(std::string_view name);
    // `option forwardfor`: HAProxy appends a new X-Forwarded-For field with the client address
    // (it does not merge into an existing one), so upstream sees the chain as several fields.
    void add_forwarded_for(std::string_view client_ip) { add("X-Forwarded-For", client_ip); }

    // Appends the edited head to `out`: start line, surviving original fields in order, added
    // fields in order, blank line; CRLF everywhere, whatever the client used. Content-Length is
    // omitted when the head says drop_content_length. Requests keep their method and target bytes;
    // the version is HTTP/1.0 or HTTP/1.1.
    void serialize(std::string& out) const;
    // Exact number of bytes serialize() appends (to reserve or to check against a buffer).
    size_t serialized_size() const;

  private:
    struct Added {
        std::string name;
        std::string value;
    };

    bool original_visible(size_t index) const;

    std::string_view buffer_;
    const MessageHead* head_ = nullptr;
    std::vector<uint8_t> removed_;  // one flag per original field
    std::vector<Added> added_;
};

}  // namespace octane::proxy::http
