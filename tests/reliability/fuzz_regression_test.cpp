// Replays every saved fuzz input (the seed corpus and each input that once crashed a target)
// through the fuzz entry points, so a fixed finding stays fixed in every build.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../store/temporary_directory.hpp"
#include "fuzz_inputs.hpp"
#include "ledger.hpp"

namespace esk::reliability {
namespace {

// The files under fuzz/corpus/<target> and fuzz/regressions/<target>.
std::vector<std::filesystem::path> saved_inputs(const std::string& target) {
  std::vector<std::filesystem::path> inputs;
  for (const char* kind : {"corpus", "regressions"}) {
    const std::filesystem::path folder = std::filesystem::path(ESK_FUZZ_INPUTS_DIR) / kind / target;
    if (!std::filesystem::is_directory(folder)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
      if (entry.is_regular_file()) inputs.push_back(entry.path());
  }
  return inputs;
}

std::string bytes_of(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

TEST(FuzzRegression, EverySavedCommandInputDecodesOrFailsCleanly) {
  runtime rt{make_memory_store(), runtime_options{1}};
  register_account(rt);
  const auto inputs = saved_inputs("command_decoding");
  ASSERT_FALSE(inputs.empty()) << "no saved inputs under " << ESK_FUZZ_INPUTS_DIR;
  for (const auto& input : inputs) {
    SCOPED_TRACE(input.string());
    EXPECT_NO_THROW(fuzz::decode_command_bytes(rt.commands(), rt.events(), bytes_of(input)));
  }
}

TEST(FuzzRegression, EverySavedStoreFileOpensOrFailsCleanly) {
  testing::temporary_directory directory;
  const auto inputs = saved_inputs("store_opening");
  ASSERT_FALSE(inputs.empty()) << "no saved inputs under " << ESK_FUZZ_INPUTS_DIR;
  for (const auto& input : inputs) {
    SCOPED_TRACE(input.string());
    EXPECT_NO_THROW(fuzz::open_store_bytes(directory.file("fuzzed.db"), bytes_of(input)));
  }
}

}  // namespace
}  // namespace esk::reliability
