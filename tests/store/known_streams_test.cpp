// What the SQLite writer's memory of streams promises: a row found as remembered or as updated
// in place, everything forgotten when another connection committed, bounded memory.
#include "known_streams.hpp"

#include <gtest/gtest.h>

#include <string>

namespace esk {
namespace {

TEST(KnownStreams, FindsARememberedStreamAndSeesItUpdatedInPlace) {
  known_streams streams;
  streams.forget_unless_unchanged(1);
  streams.remember("Account-1", {7, 3});

  known_stream* found = streams.find("Account-1");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->stream_id, 7);
  EXPECT_EQ(found->version, 3u);
  found->version = 5;

  EXPECT_EQ(streams.find("Account-1")->version, 5u);
  EXPECT_EQ(streams.find("Account-2"), nullptr);
}

TEST(KnownStreams, RememberingAKnownStreamAgainReplacesItsRow) {
  known_streams streams;
  streams.remember("Account-1", {7, 3});

  streams.remember("Account-1", {7, 4});

  EXPECT_EQ(streams.find("Account-1")->version, 4u);
}

TEST(KnownStreams, ForgetsEverythingWhenAnotherConnectionCommitted) {
  known_streams streams;
  streams.forget_unless_unchanged(1);
  streams.remember("Account-1", {7, 3});
  streams.forget_unless_unchanged(1);
  ASSERT_NE(streams.find("Account-1"), nullptr);

  streams.forget_unless_unchanged(2);

  EXPECT_EQ(streams.find("Account-1"), nullptr);
}

TEST(KnownStreams, ForgetAllForgetsEveryStream) {
  known_streams streams;
  streams.remember("Account-1", {7, 3});

  streams.forget_all();

  EXPECT_EQ(streams.find("Account-1"), nullptr);
}

TEST(KnownStreams, PastItsCapacityStartsOverAndKeepsFindingWhatItRemembersNext) {
  known_streams streams;
  for (std::size_t i = 0; i < known_streams::capacity; ++i)
    streams.remember("Account-" + std::to_string(i), {static_cast<std::int64_t>(i), 1});
  ASSERT_NE(streams.find("Account-0"), nullptr);

  streams.remember("Account-new", {-1, 2});

  EXPECT_EQ(streams.find("Account-0"), nullptr);
  ASSERT_NE(streams.find("Account-new"), nullptr);
  EXPECT_EQ(streams.find("Account-new")->stream_id, -1);
  streams.remember("Account-0", {0, 9});
  EXPECT_EQ(streams.find("Account-0")->version, 9u);
}

}  // namespace
}  // namespace esk
