// The counting global operator new/delete of esk-bench (see allocation_counter.hpp). Each thread
// claims one cache-line-sized slot of a static table the first time it allocates (nothing is
// allocated to do so) and counts there; threads beyond the table share one atomic counter.
#include "allocation_counter.hpp"

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace esk::bench {
namespace {

struct alignas(64) thread_slot {
  std::atomic<std::uint64_t> count{0};
};

constexpr std::size_t max_slots = 512;
thread_slot slots[max_slots];
std::atomic<std::size_t> claimed_slots{0};
std::atomic<std::uint64_t> shared_count{0};  // threads that found the table full

thread_local thread_slot* own_slot = nullptr;
thread_local bool table_full = false;

void count_one() noexcept {
  if (own_slot == nullptr && !table_full) {
    const std::size_t index = claimed_slots.fetch_add(1, std::memory_order_relaxed);
    if (index < max_slots)
      own_slot = &slots[index];
    else
      table_full = true;
  }
  if (own_slot != nullptr)  // only this thread writes its slot: no read-modify-write needed
    own_slot->count.store(own_slot->count.load(std::memory_order_relaxed) + 1,
                          std::memory_order_relaxed);
  else
    shared_count.fetch_add(1, std::memory_order_relaxed);
}

void* counted_allocation(std::size_t size) {
  count_one();
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}

void* counted_aligned_allocation(std::size_t size, std::align_val_t alignment) {
  count_one();
  const auto align = static_cast<std::size_t>(alignment);
  const std::size_t rounded = (size + align - 1) / align * align;
  if (void* memory = std::aligned_alloc(align, rounded == 0 ? align : rounded)) return memory;
  throw std::bad_alloc();
}

}  // namespace

std::uint64_t allocations_so_far() noexcept {
  std::uint64_t total = shared_count.load(std::memory_order_relaxed);
  const std::size_t used = claimed_slots.load(std::memory_order_relaxed);
  for (std::size_t i = 0; i < used && i < max_slots; ++i)
    total += slots[i].count.load(std::memory_order_relaxed);
  return total;
}

}  // namespace esk::bench

using esk::bench::counted_aligned_allocation;
using esk::bench::counted_allocation;

void* operator new(std::size_t size) { return counted_allocation(size); }
void* operator new[](std::size_t size) { return counted_allocation(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return counted_allocation(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return counted_allocation(size);
  } catch (...) {
    return nullptr;
  }
}
void* operator new(std::size_t size, std::align_val_t alignment) {
  return counted_aligned_allocation(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
  return counted_aligned_allocation(size, alignment);
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete(void* memory, std::align_val_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::align_val_t) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t, std::align_val_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t, std::align_val_t) noexcept { std::free(memory); }
