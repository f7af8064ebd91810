#include "keymanager/secret_repository.h"

#include "keymanager/barbican_rules.h"
#include "keymanager/project_page.h"

namespace octane::keymanager {
namespace {

constexpr const char* kColumns =
    "id, project_id, creator_id, name, secret_type, algorithm, bit_length, mode, expiration,"
    " content_type, sealed, created, updated";

db::Value optional_value(const std::optional<std::string>& v) {
    return v ? db::Value(*v) : db::Value(nullptr);
}

SecretRow from_row(const db::Row& r) {
    SecretRow s;
    s.id = r.text(0);
    s.project_id = r.text(1);
    s.creator_id = r.text(2);
    s.name = r.text(3);
    s.secret_type = r.text(4);
    s.algorithm = r.optional_text(5);
    if (!r.is_null(6)) {
        s.bit_length = r.integer(6);
    }
    s.mode = r.optional_text(7);
    s.expiration = r.optional_text(8);
    s.content_type = r.optional_text(9);
    if (auto sealed = r.optional_text(10)) {
        s.sealed = base64_decode(*sealed);
    }
    s.created = r.text(11);
    s.updated = r.text(12);
    return s;
}

}  // namespace

Result<void> SecretRepository::create(const SecretRow& s) {
    auto done = db_.exec(
        std::string("INSERT INTO km_secrets (") + kColumns +
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {s.id, s.project_id, s.creator_id, s.name, s.secret_type, optional_value(s.algorithm),
         s.bit_length ? db::Value(*s.bit_length) : db::Value(nullptr), optional_value(s.mode),
         optional_value(s.expiration), optional_value(s.content_type),
         s.sealed ? db::Value(base64_encode(*s.sealed)) : db::Value(nullptr), s.created,
         s.updated});
    if (!done) {
        return Unexpected(done.error());
    }
    return {};
}

Result<std::optional<SecretRow>> SecretRepository::get(const std::string& id) {
    return row_by_id<SecretRow>(db_, "km_secrets", kColumns, id, from_row);
}

Result<std::pair<std::vector<SecretRow>, int64_t>> SecretRepository::list(
    const std::string& project_id, const std::string& name, Page page) {
    return project_page_of<SecretRow>(db_, "km_secrets", kColumns, project_id, name, page,
                                      from_row);
}

Result<bool> SecretRepository::set_payload(const std::string& id, const std::string& content_type,
                                           const std::string& sealed, const std::string& updated) {
    auto changed = db_.exec(
        "UPDATE km_secrets SET content_type = ?, sealed = ?, updated = ? WHERE id = ? AND sealed"
        " IS NULL",
        {content_type, base64_encode(sealed), updated, id});
    if (!changed) {
        return Unexpected(changed.error());
    }
    return *changed > 0;
}

Result<void> SecretRepository::remove(const std::string& id) {
    if (auto changed = db_.exec("DELETE FROM km_secrets WHERE id = ?", {id}); !changed) {
        return Unexpected(changed.error());
    }
    return {};
}

}  // namespace octane::keymanager
