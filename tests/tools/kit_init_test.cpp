// `event-sourcing-kit init`: what it writes, and what it refuses.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../store/temporary_directory.hpp"
#include "process_runner.hpp"

namespace esk::testing {
namespace {

namespace fs = std::filesystem;

process_outcome kit(const std::vector<std::string>& args) {
  return run_process(ESK_KIT_BINARY, args);
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class KitInit : public ::testing::Test {
 protected:
  temporary_directory directory;
  fs::path project = directory.file("shop");
};

TEST_F(KitInit, WritesTheProjectNamedAfterItsFolder) {
  auto created = kit({"init", project.string()});
  EXPECT_EQ(created.exit_code, 0) << created.describe();
  EXPECT_EQ(created.out.rfind(
                "created shop in " + project.string() + " (8 files, a User aggregate)\n", 0),
            0u)
      << created.out;
  for (const char* file :
       {"CMakeLists.txt", "README.md", "main.cpp", ".gitignore", "events/user_events.hpp",
        "commands/user_commands.hpp", "aggregates/user.hpp", "tests/user_spec_test.cpp"})
    EXPECT_TRUE(fs::is_regular_file(project / file)) << file;
  const std::string cmake = read_text(project / "CMakeLists.txt");
  EXPECT_NE(cmake.find("project(shop LANGUAGES CXX)"), std::string::npos) << cmake;
  EXPECT_NE(cmake.find("add_executable(shop main.cpp)"), std::string::npos);
  EXPECT_NE(cmake.find("target_link_libraries(shop PRIVATE esk::app_cli)"), std::string::npos);
  EXPECT_NE(read_text(project / "main.cpp").find("app.name = \"shop\";"), std::string::npos);
}

TEST_F(KitInit, LeavesNoPlaceholderBehindInEitherTemplate) {
  for (const char* chosen : {"app", "orders"}) {
    const fs::path folder = directory.file(chosen);
    ASSERT_EQ(kit({"init", folder.string(), "--template", chosen}).exit_code, 0) << chosen;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
      if (!entry.is_regular_file()) continue;
      const std::string text = read_text(entry.path());
      for (const char* placeholder :
           {"@APP_NAME@", "@KIT_VERSION@", "@KIT_HINTS@", "@KIT_PROGRAM@", "@KIT_BIN_DIR@"})
        EXPECT_EQ(text.find(placeholder), std::string::npos) << entry.path() << ": " << placeholder;
    }
  }
}

TEST_F(KitInit, PointsTheProjectAtTheKitItRunsFrom) {
  ASSERT_EQ(kit({"init", project.string()}).exit_code, 0);
  // Run from the build tree, the kit is the build tree's package.
  EXPECT_NE(read_text(project / "CMakeLists.txt")
                .find(std::string("find_package(event_sourcing_kit ") + ESK_KIT_VERSION +
                      " REQUIRED HINTS \"" + ESK_BUILD_DIR + "\")"),
            std::string::npos)
      << read_text(project / "CMakeLists.txt");
}

TEST_F(KitInit, CallsTheKitByItsFullPathInTheReadmeAndTheNextSteps) {
  auto created = kit({"init", project.string()});
  ASSERT_EQ(created.exit_code, 0) << created.describe();
  // The install prefix's bin/ is not on PATH: a bare `event-sourcing-kit` would not be found.
  const fs::path program = fs::canonical(ESK_KIT_BINARY);
  const std::string inspect = program.string() + " events shop.db";
  EXPECT_NE(created.out.find("  " + inspect), std::string::npos) << created.out;
  const std::string readme = read_text(project / "README.md");
  EXPECT_NE(readme.find("\n" + inspect), std::string::npos) << readme;
  EXPECT_NE(readme.find("export PATH=" + program.parent_path().string() + ":\"$PATH\""),
            std::string::npos)
      << readme;
}

TEST_F(KitInit, NameOptionOverridesTheFolderName) {
  auto created = kit({"init", project.string(), "--name", "order-service"});
  EXPECT_EQ(created.exit_code, 0) << created.describe();
  EXPECT_NE(read_text(project / "CMakeLists.txt").find("add_executable(order-service main.cpp)"),
            std::string::npos);
  EXPECT_NE(created.out.find("./build/order-service"), std::string::npos);
}

TEST_F(KitInit, RefusesAFolderThatIsNotEmpty) {
  fs::create_directories(project);
  std::ofstream(project / "main.cpp") << "// mine\n";
  auto refused = kit({"init", project.string()});
  EXPECT_EQ(refused.exit_code, 4);
  EXPECT_EQ(refused.err, "event-sourcing-kit: init: '" + project.string() +
                             "' is not empty (use --force to write into it anyway)\n");
  EXPECT_EQ(read_text(project / "main.cpp"), "// mine\n");
  EXPECT_FALSE(fs::exists(project / "CMakeLists.txt"));
}

TEST_F(KitInit, ForceWritesTheTemplatesAndKeepsOtherFiles) {
  fs::create_directories(project);
  std::ofstream(project / "main.cpp") << "// mine\n";
  std::ofstream(project / "NOTES") << "keep me\n";
  auto forced = kit({"init", project.string(), "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.describe();
  EXPECT_NE(read_text(project / "main.cpp"), "// mine\n");
  EXPECT_EQ(read_text(project / "NOTES"), "keep me\n");
}

TEST_F(KitInit, AcceptsAnEmptyFolderAndATrailingSlash) {
  fs::create_directories(project);
  auto created = kit({"init", project.string() + "/"});
  EXPECT_EQ(created.exit_code, 0) << created.describe();
  EXPECT_NE(read_text(project / "main.cpp").find("app.name = \"shop\";"), std::string::npos);
}

TEST_F(KitInit, RejectsANameThatCannotBeAProgramName) {
  for (const char* name : {"9lives", "my app", "a/b", "ünïcode", "\"quoted\""}) {
    auto refused = kit({"init", project.string(), "--name", name});
    EXPECT_EQ(refused.exit_code, 4) << name;
    EXPECT_NE(refused.err.find("is not a valid app name"), std::string::npos) << refused.err;
  }
  EXPECT_FALSE(fs::exists(project));
}

TEST_F(KitInit, OrdersTemplateWritesTheOrdersExampleUnderTheAppsName) {
  auto created = kit({"init", project.string(), "--template", "orders"});
  EXPECT_EQ(created.exit_code, 0) << created.describe();
  EXPECT_EQ(created.out.rfind("created shop in " + project.string() + " (9 files, orders, ", 0), 0u)
      << created.out;
  EXPECT_NE(created.out.find("./build/shop state Order 1\n"), std::string::npos) << created.out;
  EXPECT_NE(created.out.find("./build/shop projections\n"), std::string::npos) << created.out;
  for (const char* file :
       {"CMakeLists.txt", "README.md", "main.cpp", ".gitignore", "shop.hpp", "domain/orders.hpp",
        "process/fulfilment.hpp", "read_model/order_summaries.hpp", "tests/order_spec_test.cpp"})
    EXPECT_TRUE(fs::is_regular_file(project / file)) << file;
  EXPECT_FALSE(fs::exists(project / "aggregates")) << "the app template's User came along";
  const std::string cmake = read_text(project / "CMakeLists.txt");
  EXPECT_NE(cmake.find("target_compile_definitions(shop PRIVATE ESK_APP_NAME=\"shop\")"),
            std::string::npos)
      << cmake;
  EXPECT_NE(read_text(project / "process/fulfilment.hpp").find("out.send(ShipOrder"),
            std::string::npos);
}

TEST_F(KitInit, RefusesAnUnknownTemplateNamingTheOnesThereAre) {
  auto refused = kit({"init", project.string(), "--template", "payroll"});
  EXPECT_EQ(refused.exit_code, 4);
  EXPECT_EQ(refused.err,
            "event-sourcing-kit: init: unknown template 'payroll' (the templates: app, orders)\n");
  EXPECT_FALSE(fs::exists(project));
}

TEST_F(KitInit, RefusesAFileInPlaceOfTheFolder) {
  std::ofstream(project) << "a file\n";
  auto refused = kit({"init", project.string(), "--force"});
  EXPECT_EQ(refused.exit_code, 4);
  EXPECT_NE(refused.err.find("is not a folder"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace esk::testing
