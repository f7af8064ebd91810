#include "keymanager/container_repository.h"

#include <nlohmann/json.hpp>

#include "keymanager/project_page.h"

namespace octane::keymanager {
namespace {

using nlohmann::json;

constexpr const char* kColumns =
    "id, project_id, creator_id, name, type, secret_refs, created, updated";

ContainerRow from_row(const db::Row& r) {
    ContainerRow c;
    c.id = r.text(0);
    c.project_id = r.text(1);
    c.creator_id = r.text(2);
    c.name = r.text(3);
    c.type = r.text(4);
    for (const auto& ref : json::parse(r.text(5))) {
        c.secret_refs.push_back({ref.value("name", ""), ref.value("secret_id", "")});
    }
    c.created = r.text(6);
    c.updated = r.text(7);
    return c;
}

}  // namespace

Result<void> ContainerRepository::create(const ContainerRow& c) {
    json refs = json::array();
    for (const auto& ref : c.secret_refs) {
        refs.push_back({{"name", ref.name}, {"secret_id", ref.secret_id}});
    }
    auto done = db_.exec(
        std::string("INSERT INTO km_containers (") + kColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {c.id, c.project_id, c.creator_id, c.name, c.type, refs.dump(), c.created, c.updated});
    if (!done) {
        return Unexpected(done.error());
    }
    return {};
}

Result<std::optional<ContainerRow>> ContainerRepository::get(const std::string& id) {
    return row_by_id<ContainerRow>(db_, "km_containers", kColumns, id, from_row);
}

Result<std::pair<std::vector<ContainerRow>, int64_t>> ContainerRepository::list(
    const std::string& project_id, const std::string& name, Page page) {
    return project_page_of<ContainerRow>(db_, "km_containers", kColumns, project_id, name, page,
                                         from_row);
}

Result<void> ContainerRepository::remove(const std::string& id) {
    if (auto changed = db_.exec("DELETE FROM km_containers WHERE id = ?", {id}); !changed) {
        return Unexpected(changed.error());
    }
    return {};
}

}  // namespace octane::keymanager
