// `myapp projections` and `myapp rebuild <name>` on an app whose projection keeps its read model
// in a SQLite file of its own.
#include <gtest/gtest.h>

#include <string>

#include "../store/temporary_directory.hpp"
#include "aggregates/user.hpp"
#include "esk/app_cli.hpp"
#include "projections/email_table.hpp"
#include "tools_test_support.hpp"

namespace esk {
namespace {

using testing::cli_outcome;

std::string create_user(const std::string& id) {
  return R"({"type": "CreateUser", "payload": {"user_id": ")" + id +
         R"(", "name": "Ada", "email": "ada@example.org"}})";
}

class AppCliProjections : public ::testing::Test {
 protected:
  AppCliProjections() {
    app.name = "testapp";
    app.register_types = [model = model_path](runtime& rt) {
      users::register_user(rt);
      rt.add_projection(users::email_table(), users::email_table_options(model));
    };
  }

  cli_outcome run(std::vector<std::string> args) {
    return testing::run_app_cli_on(app, db, std::move(args));
  }

  testing::temporary_directory directory;
  std::string db = directory.file("app.db");
  std::string model_path = directory.file("model.db");
  app_definition app;
};

TEST_F(AppCliProjections, ProjectionsListsEachOnesStatePositionAndLag) {
  for (const char* id : {"1", "2", "3"}) ASSERT_EQ(run({"send", create_user(id)}).exit_code, 0);

  auto listed = run({"projections"});

  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out, "emails running position=3 lag=0 skipped=0\n");
}

TEST_F(AppCliProjections, RebuildReportsProgressOnStderrAndWhereItEnded) {
  for (const char* id : {"1", "2", "3"}) ASSERT_EQ(run({"send", create_user(id)}).exit_code, 0);

  auto rebuilt = run({"rebuild", "emails"});

  EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_EQ(rebuilt.out, "rebuilt emails at position 3\n");
  EXPECT_NE(rebuilt.err.find("rebuild emails: 3/3 events (100%)"), std::string::npos)
      << rebuilt.err;
  auto rows = query_sqlite(model_path, "SELECT count(*) FROM emails");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(std::get<std::int64_t>((*rows)[0][0]), 3);
}

TEST_F(AppCliProjections, RebuildOfAnUnknownProjectionNamesIt) {
  auto rebuilt = run({"rebuild", "nobody"});

  EXPECT_NE(rebuilt.exit_code, 0);
  EXPECT_NE(rebuilt.err.find("no projection named 'nobody'"), std::string::npos) << rebuilt.err;
}

}  // namespace
}  // namespace esk
