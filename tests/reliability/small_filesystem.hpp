// small_filesystem.hpp — a size-limited tmpfs mounted for one test (a disk that fills up, or
// one that can be made read-only even for root). Needs root (or CAP_SYS_ADMIN).
#pragma once

#include <string>

namespace esk::reliability {

class small_filesystem {
 public:
  // Mounts a tmpfs of `size` (mount(8) syntax: "1m") on the existing directory `where`.
  // On failure mounted() is false and why_not() says why.
  small_filesystem(std::string where, const std::string& size);

  // Unmounts (lazily, so a forgotten open file cannot make it fail).
  ~small_filesystem();

  small_filesystem(const small_filesystem&) = delete;
  small_filesystem& operator=(const small_filesystem&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& why_not() const { return why_not_; }

  // Remounts read-only. Returns false with why_not() set on failure.
  bool make_read_only();

  // The path of `name` on the filesystem.
  std::string file(const std::string& name) const { return where_ + "/" + name; }

 private:
  std::string where_;
  bool mounted_ = false;
  std::string why_not_;
};

}  // namespace esk::reliability
