#include "db/pg_text.h"

#include <gtest/gtest.h>

#include "db/open_database.h"

namespace octane::db {
namespace {

TEST(NumberedPlaceholders, NumbersEachQuestionMarkInOrder) {
    EXPECT_EQ(to_numbered_placeholders("SELECT a FROM t WHERE b = ? AND c IN (?, ?) LIMIT ?"),
              "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3) LIMIT $4");
}

TEST(NumberedPlaceholders, LeavesLiteralsIdentifiersAndCommentsAlone) {
    EXPECT_EQ(to_numbered_placeholders("SELECT '?', 'it''s ?', \"odd?col\" FROM t WHERE x = ?"),
              "SELECT '?', 'it''s ?', \"odd?col\" FROM t WHERE x = $1");
    EXPECT_EQ(to_numbered_placeholders("SELECT 1 -- why?\nWHERE a = ? /* b = ? */ AND c = ?"),
              "SELECT 1 -- why?\nWHERE a = $1 /* b = ? */ AND c = $2");
    EXPECT_EQ(to_numbered_placeholders("json_extract(attrs, '$.name') = ?"),
              "json_extract(attrs, '$.name') = $1");
}

TEST(NumberedPlaceholders, UnterminatedLiteralIsCopiedAsIs) {
    EXPECT_EQ(to_numbered_placeholders("SELECT ? WHERE a = 'x?"), "SELECT $1 WHERE a = 'x?");
    EXPECT_EQ(to_numbered_placeholders(""), "");
}

TEST(PgValues, MapLikeSqlite) {
    EXPECT_EQ(from_pg_text(pg_oid::kInt8, "1733600000000"), Value(int64_t{1733600000000}));
    EXPECT_EQ(from_pg_text(pg_oid::kInt4, "-7"), Value(int64_t{-7}));
    EXPECT_EQ(from_pg_text(pg_oid::kBool, "t"), Value(int64_t{1}));
    EXPECT_EQ(from_pg_text(pg_oid::kBool, "f"), Value(int64_t{0}));
    EXPECT_EQ(from_pg_text(pg_oid::kFloat8, "1.5"), Value(1.5));
    // SUM over BIGINT is NUMERIC: integral sums stay integers, like SQLite's.
    EXPECT_EQ(from_pg_text(pg_oid::kNumeric, "12345678901234"), Value(int64_t{12345678901234}));
    EXPECT_EQ(from_pg_text(pg_oid::kNumeric, "2.25"), Value(2.25));
    EXPECT_EQ(from_pg_text(25 /* text */, "42"), Value(std::string("42")));
    EXPECT_EQ(from_pg_text(1043 /* varchar */, ""), Value(std::string()));
}

TEST(PgValues, ParametersAsText) {
    EXPECT_EQ(to_pg_text(Value(nullptr)), std::nullopt);
    EXPECT_EQ(to_pg_text(Value(int64_t{-42})), "-42");
    EXPECT_EQ(to_pg_text(Value(0.1)), "0.1");
    EXPECT_EQ(to_pg_text(Value(std::string("a'b"))), "a'b");
}

TEST(ConnectionUrl, PicksTheEngine) {
    auto sqlite = parse_connection_url("sqlite:////var/lib/octane/octane.db");
    ASSERT_TRUE(sqlite);
    EXPECT_EQ(sqlite->engine, Engine::kSqlite);
    EXPECT_EQ(sqlite->target, "/var/lib/octane/octane.db");
    auto pg = parse_connection_url("postgresql+psycopg2://octane:secret@db.example/octane");
    ASSERT_TRUE(pg);
    EXPECT_EQ(pg->engine, Engine::kPostgres);
    EXPECT_EQ(pg->target, "postgresql://octane:secret@db.example/octane");
    auto socket = parse_connection_url("postgres:///octane?host=/run/pg");
    ASSERT_TRUE(socket);
    EXPECT_EQ(socket->target, "postgresql:///octane?host=/run/pg");
    EXPECT_FALSE(parse_connection_url("mysql+pymysql://octavia@db/octavia"));
    EXPECT_FALSE(parse_connection_url("sqlite:///"));
}

}  // namespace
}  // namespace octane::db
