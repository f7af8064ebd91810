// The schema's migrations (schema.h) on both backends.

#include "db/schema.h"

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "repository_fixture.h"

namespace octane::db {
namespace {

using SchemaTest = testing::RepositoryTest;

TEST_F(SchemaTest, MigratingTwiceKeepsOneVersionRow) {
    ASSERT_TRUE(migrate(*db_));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM schema_version"), "1");
}

// A process starting while others write (another API or worker busy in a transaction) does not
// queue behind them for a schema that is already current.
TEST_F(SchemaTest, ACurrentSchemaStartsWithoutWaitingForWriters) {
    auto other = open_another();
    ASSERT_NE(other, nullptr);
    std::promise<void> locked;
    std::atomic<bool> migrated{false};
    std::atomic<bool> released_first{false};
    std::thread writer([&] {
        auto held = other->transaction([&]() -> Result<void> {
            locked.set_value();
            // Held until the migration returned, at most 10 s (then the migration waited).
            for (int i = 0; i < 1000 && !migrated.load(); ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            released_first = !migrated.load();
            return {};
        });
        EXPECT_TRUE(held) << held.error().message;
    });
    locked.get_future().wait();
    auto done = migrate(*db_);
    migrated = true;
    writer.join();
    EXPECT_TRUE(done) << done.error().message;
    EXPECT_FALSE(released_first) << "the migration waited for the writer's transaction";
}

}  // namespace
}  // namespace octane::db
