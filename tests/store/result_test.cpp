// What esk::result promises to the code that reads it, above all the README's own idiom:
// `for (const auto& e : *store.read_all())`, a range-for over the value of a temporary result.
#include "esk/result.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "esk/store/memory_store.hpp"
#include "store_test_events.hpp"

namespace esk {
namespace {

// A range that reports, through a flag it does not own, when it has been destroyed, so a test
// can tell whether a loop ran over a live object or over a dead temporary.
class watched_range {
 public:
  explicit watched_range(bool& destroyed) : destroyed_(&destroyed) {}
  watched_range(watched_range&& other) noexcept
      : destroyed_(std::exchange(other.destroyed_, nullptr)), items_(other.items_) {}
  watched_range(const watched_range&) = delete;
  watched_range& operator=(const watched_range&) = delete;
  watched_range& operator=(watched_range&&) = delete;
  ~watched_range() {
    if (destroyed_ != nullptr) *destroyed_ = true;
  }

  const int* begin() const { return items_.data(); }
  const int* end() const { return items_.data() + items_.size(); }

 private:
  bool* destroyed_;
  std::array<int, 3> items_{1, 2, 3};
};

result<watched_range> watched_result(bool& destroyed) { return watched_range(destroyed); }

TEST(Result, RangeForOverTheValueOfATemporaryResultIteratesALiveValue) {
  bool destroyed = false;
  int visited = 0;

  for (int item : *watched_result(destroyed)) {
    EXPECT_FALSE(destroyed) << "the loop reads a destroyed temporary";
    visited += item;
  }

  EXPECT_EQ(visited, 6);
  EXPECT_TRUE(destroyed) << "the value lives exactly as long as the loop";
}

TEST(Result, ValueOfATemporaryResultIsReturnedByValue) {
  static_assert(std::is_same_v<decltype(*std::declval<result<std::string>>()), std::string>);
  static_assert(std::is_same_v<decltype(std::declval<result<std::string>>().value()), std::string>);
  static_assert(std::is_same_v<decltype(*std::declval<result<std::string>&>()), std::string&>);
  static_assert(
      std::is_same_v<decltype(*std::declval<const result<std::string>&>()), const std::string&>);

  std::string moved_out = *result<std::string>(std::string(100, 'x'));

  EXPECT_EQ(moved_out, std::string(100, 'x'));
}

TEST(Result, ReadmeLoopOverReadAllOfAStoreSeesEveryEvent) {
  auto store = make_memory_store();
  ASSERT_TRUE(store->append(testing::make_request("Account-1", 0, 3)).ok());
  std::vector<std::uint64_t> positions;

  for (const auto& event : *store->read_all()) positions.push_back(event.position);

  EXPECT_EQ(positions, (std::vector<std::uint64_t>{1, 2, 3}));
}

}  // namespace
}  // namespace esk
