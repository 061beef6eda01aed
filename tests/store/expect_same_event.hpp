// expect_same_event.hpp — the store tests' field-by-field comparison of two recorded events.
#pragma once

#include <gtest/gtest.h>

#include "esk/store/recorded_event.hpp"

namespace esk::testing {

// Expects every field of `actual`, metadata included, to equal `expected`'s (one failure per
// differing field, so a swapped pair of fields names both).
inline void expect_same_event(const recorded_event& actual, const recorded_event& expected) {
  EXPECT_EQ(actual.stream, expected.stream);
  EXPECT_EQ(actual.version, expected.version);
  EXPECT_EQ(actual.position, expected.position);
  EXPECT_EQ(actual.type, expected.type);
  EXPECT_EQ(actual.payload, expected.payload);
  EXPECT_EQ(actual.metadata.event_id, expected.metadata.event_id);
  EXPECT_EQ(actual.metadata.command_id, expected.metadata.command_id);
  EXPECT_EQ(actual.metadata.correlation_id, expected.metadata.correlation_id);
  EXPECT_EQ(actual.metadata.causation_id, expected.metadata.causation_id);
  EXPECT_EQ(actual.metadata.recorded_at, expected.metadata.recorded_at);
}

}  // namespace esk::testing
