#include "db/object_store.h"

#include "db/result_of.h"

namespace octane::db {

using model::Kind;
using model::table_of;

std::string ObjectStore::columns() {
    return "id, project_id, load_balancer_id, parent_id, provisioning_status, operating_status, "
           "created_at, updated_at, attrs";
}

TreeObject ObjectStore::from_row(const Row& row) {
    TreeObject o;
    o.id = row.text(0);
    o.project_id = row.text(1);
    o.load_balancer_id = row.text(2);
    o.parent_id = row.text(3);
    o.provisioning_status = row.text(4);
    o.operating_status = row.text(5);
    o.created_at = row.text(6);
    o.updated_at = row.optional_text(7);
    o.attrs = nlohmann::json::parse(row.text(8), nullptr, false);
    if (o.attrs.is_discarded()) {
        o.attrs = nlohmann::json::object();
    }
    return o;
}

Result<std::vector<TreeObject>> ObjectStore::select_where(Kind kind, const std::string& where,
                                                          const std::string& value) {
    auto rows = db_.query("SELECT " + columns() + " FROM " + std::string(table_of(kind)) +
                              " WHERE " + where + " ORDER BY created_at, id",
                          {value});
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<TreeObject> out;
    out.reserve(rows->size());
    for (const auto& row : *rows) {
        out.push_back(from_row(row));
    }
    return out;
}

Result<std::optional<TreeObject>> ObjectStore::get(Kind kind, const std::string& id) {
    auto found = select_where(kind, "id = ?", id);
    if (!found) {
        return Unexpected(found.error());
    }
    if (found->empty()) {
        return std::optional<TreeObject>();
    }
    return std::optional<TreeObject>(std::move(found->front()));
}

Result<std::vector<TreeObject>> ObjectStore::by_load_balancer(Kind kind, const std::string& lb_id) {
    return select_where(kind, "load_balancer_id = ?", lb_id);
}

Result<std::vector<TreeObject>> ObjectStore::by_parent(Kind kind, const std::string& parent_id) {
    return select_where(kind, "parent_id = ?", parent_id);
}

namespace {

std::vector<Value> values_of(const TreeObject& o) {
    Value updated = o.updated_at ? Value(*o.updated_at) : Value(nullptr);
    return {o.id,
            o.project_id,
            o.load_balancer_id,
            o.parent_id,
            o.provisioning_status,
            o.operating_status,
            o.created_at,
            updated,
            o.attrs.dump()};
}

Result<void> expect_changed(Result<int64_t> changed, const std::string& what) {
    if (!changed) {
        return Unexpected(changed.error());
    }
    if (*changed != 1) {
        return make_error(what + ": row not found");
    }
    return {};
}

}  // namespace

Result<void> ObjectStore::insert(Kind kind, const TreeObject& object) {
    auto done = db_.exec("INSERT INTO " + std::string(table_of(kind)) + " (" + columns() +
                             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         values_of(object));
    if (!done) {
        return Unexpected(done.error());
    }
    return {};
}

Result<void> ObjectStore::update(Kind kind, const TreeObject& object) {
    auto values = values_of(object);
    values.push_back(object.id);
    return expect_changed(
        db_.exec("UPDATE " + std::string(table_of(kind)) +
                     " SET id = ?, project_id = ?, load_balancer_id = ?, parent_id = ?,"
                     " provisioning_status = ?, operating_status = ?, created_at = ?,"
                     " updated_at = ?, attrs = ? WHERE id = ?",
                 values),
        "update " + object.id);
}

Result<void> ObjectStore::set_provisioning_status(Kind kind, const std::string& id,
                                                  const std::string& status,
                                                  const std::string& now) {
    return expect_changed(db_.exec("UPDATE " + std::string(table_of(kind)) +
                                       " SET provisioning_status = ?, updated_at = ? WHERE id = ?",
                                   {status, now, id}),
                          "status of " + id);
}

Result<void> ObjectStore::set_operating_status(Kind kind, const std::string& id,
                                               const std::string& status) {
    return expect_changed(
        db_.exec("UPDATE " + std::string(table_of(kind)) + " SET operating_status = ? WHERE id = ?",
                 {status, id}),
        "operating status of " + id);
}

Result<void> ObjectStore::remove(Kind kind, const std::string& id) {
    auto done = db_.exec("DELETE FROM " + std::string(table_of(kind)) + " WHERE id = ?", {id});
    if (!done) {
        return Unexpected(done.error());
    }
    return {};
}

Result<int64_t> ObjectStore::count_where(Kind kind, const std::string& where,
                                         const std::string& value) {
    auto rows = db_.query("SELECT COUNT(*) FROM " + std::string(table_of(kind)) + " WHERE " + where,
                          {value});
    if (!rows) {
        return Unexpected(rows.error());
    }
    return rows->front().integer(0);
}

Result<int64_t> ObjectStore::count_in_use(Kind kind, const std::string& project_id) {
    return count_where(kind, "project_id = ? AND provisioning_status <> 'DELETED'", project_id);
}

Result<int64_t> ObjectStore::count_of_load_balancer(Kind kind, const std::string& lb_id) {
    return count_where(kind, "load_balancer_id = ?", lb_id);
}

Result<std::optional<std::string>> ObjectStore::live_load_balancer_on_port(
    const std::string& port_id) {
    auto rows = db_.query(
        "SELECT id FROM load_balancers WHERE provisioning_status <> 'DELETED' AND"
        " json_extract(attrs, '$.vip_port_id') = ? LIMIT 1",
        {port_id});
    if (!rows) {
        return Unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::optional<std::string>();
    }
    return std::optional<std::string>(rows->front().text(0));
}

Result<std::vector<std::pair<std::string, std::string>>> ObjectStore::child_ids(
    Kind child, const std::string& column, const std::vector<std::string>& parent_ids) {
    std::vector<std::pair<std::string, std::string>> out;
    std::string in;
    std::vector<Value> params;
    for (const auto& id : parent_ids) {
        in += in.empty() ? "?" : ", ?";
        params.emplace_back(id);
    }
    if (params.empty()) {
        return out;
    }
    std::string order = child == Kind::kL7Policy
                            ? "CAST(json_extract(attrs, '$.position') AS BIGINT), created_at, id"
                            : "created_at, id";
    auto rows = db_.query("SELECT id, " + column + " FROM " + std::string(table_of(child)) +
                              " WHERE " + column + " IN (" + in + ") ORDER BY " + order,
                          params);
    if (!rows) {
        return Unexpected(rows.error());
    }
    for (const auto& row : *rows) {
        out.emplace_back(row.text(1), row.text(0));
    }
    return out;
}

Result<Rows> ObjectStore::page(Kind kind, const std::string& where, const std::string& order_by,
                               int64_t limit, const std::vector<Value>& params) {
    return db_.query("SELECT " + columns() + " FROM " + std::string(table_of(kind)) + " WHERE " +
                         where + " ORDER BY " + order_by + " LIMIT " + std::to_string(limit),
                     params);
}

Result<std::optional<Row>> ObjectStore::row_values(Kind kind, const std::string& select,
                                                   const std::string& id, const std::string& where,
                                                   const std::vector<Value>& params) {
    std::vector<Value> all{id};
    all.insert(all.end(), params.begin(), params.end());
    auto rows = db_.query("SELECT " + select + " FROM " + std::string(table_of(kind)) +
                              " WHERE id = ?" + (where.empty() ? "" : " AND " + where),
                          all);
    if (!rows) {
        return Unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::optional<Row>();
    }
    return std::optional<Row>(std::move(rows->front()));
}

Result<void> ObjectStore::set_attrs(Kind kind, const std::string& id, const nlohmann::json& attrs) {
    return done(db_.exec("UPDATE " + std::string(table_of(kind)) + " SET attrs = ? WHERE id = ?",
                         {attrs.dump(), id}));
}

}  // namespace octane::db
