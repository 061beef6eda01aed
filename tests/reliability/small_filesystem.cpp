#include "small_filesystem.hpp"

#include <sys/mount.h>

#include <cerrno>
#include <cstring>

namespace esk::reliability {

small_filesystem::small_filesystem(std::string where, const std::string& size)
    : where_(std::move(where)) {
  const std::string options = "size=" + size + ",mode=0755";
  if (::mount("tmpfs", where_.c_str(), "tmpfs", 0, options.c_str()) == 0) {
    mounted_ = true;
  } else {
    why_not_ = "mount -t tmpfs -o " + options + " " + where_ + " failed: " + std::strerror(errno) +
               " (needs root or CAP_SYS_ADMIN)";
  }
}

small_filesystem::~small_filesystem() {
  if (mounted_) ::umount2(where_.c_str(), MNT_DETACH);
}

bool small_filesystem::make_read_only() {
  if (::mount(nullptr, where_.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) == 0) return true;
  why_not_ = "remounting " + where_ + " read-only failed: " + std::strerror(errno);
  return false;
}

}  // namespace esk::reliability
