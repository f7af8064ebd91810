#pragma once

// A fresh control-plane database per test for the repository tests: SQLite in a temp file, or,
// with OCTANE_TEST_DATABASE=postgresql, one throwaway PostgreSQL cluster for the whole run
// (scripts/test-postgres.sh, stopped by its PID at the end) whose public schema each test
// recreates. Both get the real migrations (schema.cc, amphora_health_schema.h).

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "db/database.h"

namespace octane::db::testing {

class RepositoryTest : public ::testing::Test {
  public:
    void SetUp() override;
    void TearDown() override;

  protected:
    // Inserts a load balancer row (tree object of kind kLoadBalancer).
    void add_load_balancer(const std::string& id, const std::string& provisioning_status,
                           const std::string& project = "project");
    // A second connection to the same database (another process's, as far as locks go).
    std::unique_ptr<Database> open_another();
    // One row of sql's first column as text ("" when there is none).
    std::string scalar(const std::string& sql, const std::vector<Value>& params = {});

    std::unique_ptr<Database> db_;
    std::string dir_;
};

}  // namespace octane::db::testing
