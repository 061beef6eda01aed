// esk/actors/group_commit_settings.hpp — how the store actor batches appends into commits.
#pragma once

#include <chrono>
#include <cstddef>

namespace esk {

// Tuning of the group commit. The defaults were measured with benchmarks/ (esk-bench); tests
// change them to force a path (e.g. inline_max_batch = 0 and pipeline_above = 0 make every
// batch commit on the detached writer).
struct group_commit_settings {
  std::size_t max_batch = 512;       // appends per transaction, at most. REQUIRES: > 0
  std::size_t inline_max_batch = 2;  // batches up to this size commit inline, in the store actor
  // Stores whose average commit takes less than this commit inline whatever the batch size.
  std::chrono::microseconds pipeline_above{50};
};

}  // namespace esk
