#include "proxy/http/header_map.h"

#include <charconv>

namespace octane::proxy::http {
namespace {

constexpr std::string_view kCrlf = "\r\n";

std::string_view version_text(int minor) {
    return minor == 0 ? "HTTP/1.0" : "HTTP/1.1";
}

}  // namespace

void HeaderMap::reset(const MessageView& view) {
    buffer_ = view.buffer();
    head_ = &view.head();
    removed_.assign(head_->headers.size(), 0);
    added_.clear();
    if (head_->drop_content_length) {
        remove("Content-Length");
    }
}

bool HeaderMap::original_visible(size_t index) const {
    return removed_[index] == 0;
}

std::string_view HeaderMap::get(std::string_view name, bool* found) const {
    if (found != nullptr) {
        *found = true;
    }
    for (size_t i = 0; i < head_->headers.size(); ++i) {
        const HeaderField& h = head_->headers[i];
        if (original_visible(i) && iequals(h.name.in(buffer_), name)) {
            return h.value.in(buffer_);
        }
    }
    for (const Added& a : added_) {
        if (iequals(a.name, name)) {
            return a.value;
        }
    }
    if (found != nullptr) {
        *found = false;
    }
    return {};
}

bool HeaderMap::contains(std::string_view name) const {
    bool found = false;
    get(name, &found);
    return found;
}

size_t HeaderMap::count(std::string_view name) const {
    size_t n = 0;
    for (size_t i = 0; i < head_->headers.size(); ++i) {
        if (original_visible(i) && iequals(head_->headers[i].name.in(buffer_), name)) {
            ++n;
        }
    }
    for (const Added& a : added_) {
        n += iequals(a.name, name) ? 1 : 0;
    }
    return n;
}

void HeaderMap::set(std::string_view name, std::string_view value) {
    remove(name);
    add(name, value);
}

void HeaderMap::add(std::string_view name, std::string_view value) {
    added_.push_back(Added{std::string(name), std::string(value)});
}

size_t HeaderMap::remove(std::string_view name) {
    size_t n = 0;
    for (size_t i = 0; i < head_->headers.size(); ++i) {
        if (original_visible(i) && iequals(head_->headers[i].name.in(buffer_), name)) {
            removed_[i] = 1;
            ++n;
        }
    }
    size_t before = added_.size();
    std::erase_if(added_, [&](const Added& a) { return iequals(a.name, name); });
    return n + (before - added_.size());
}

size_t HeaderMap::serialized_size() const {
    size_t n = 0;
    if (head_->status == 0) {
        n += head_->method_text.length + 1 + head_->target.length + 1 + 8 + 2;
    } else {
        n += 8 + 1 + 3 + 1 + head_->reason.length + 2;
    }
    for (size_t i = 0; i < head_->headers.size(); ++i) {
        if (original_visible(i)) {
            n += head_->headers[i].name.length + 2 + head_->headers[i].value.length + 2;
        }
    }
    for (const Added& a : added_) {
        n += a.name.size() + 2 + a.value.size() + 2;
    }
    return n + 2;
}

void HeaderMap::serialize(std::string& out) const {
    out.reserve(out.size() + serialized_size());
    if (head_->status == 0) {
        out.append(head_->method_text.in(buffer_)).append(" ");
        out.append(head_->target.in(buffer_)).append(" ");
        out.append(version_text(head_->version_minor)).append(kCrlf);
    } else {
        char code[4] = {};
        std::to_chars(code, code + 3, head_->status);
        out.append(version_text(head_->version_minor)).append(" ");
        out.append(code, 3).append(" ");
        out.append(head_->reason.in(buffer_)).append(kCrlf);
    }
    for (size_t i = 0; i < head_->headers.size(); ++i) {
        if (original_visible(i)) {
            const HeaderField& h = head_->headers[i];
            out.append(h.name.in(buffer_)).append(": ").append(h.value.in(buffer_)).append(kCrlf);
        }
    }
    for (const Added& a : added_) {
        out.append(a.name).append(": ").append(a.value).append(kCrlf);
    }
    out.append(kCrlf);
}

}  // namespace octane::proxy::http
