// allocator_probe.cpp — checks that esk_use_allocator() put the chosen allocator under malloc
// and operator new. Run as `allocator_probe <system|mimalloc|jemalloc>`; exits 0 when the
// process's malloc is defined by that allocator's library (glibc's for `system`), 1 with the
// reason otherwise. Looks the allocator up at run time (dlsym/dladdr), so the probe itself
// references nothing of it and the linker would drop it unless esk_use_allocator keeps it.
#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

namespace {

// The file name of the shared object that defines `symbol` for this process, or "" if none.
std::string object_defining(const char* symbol) {
  void* address = dlsym(RTLD_DEFAULT, symbol);
  Dl_info info{};
  if (address == nullptr || dladdr(address, &info) == 0 || info.dli_fname == nullptr) return "";
  return info.dli_fname;
}

// mimalloc's own test for "this pointer came from my heap", looked up at run time.
bool in_mimalloc_heap(const void* pointer) {
  using query = bool (*)(const void*);
  auto is_in_heap = reinterpret_cast<query>(dlsym(RTLD_DEFAULT, "mi_is_in_heap_region"));
  return is_in_heap != nullptr && is_in_heap(pointer);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: allocator_probe <system|mimalloc|jemalloc>\n");
    return 2;
  }
  const std::string expected = argv[1];
  const std::string library = expected == "system" ? "libc.so" : "lib" + expected + ".so";
  const std::string malloc_owner = object_defining("malloc");
  if (malloc_owner.find(library) == std::string::npos) {
    std::fprintf(stderr, "malloc is defined by '%s', not by %s\n", malloc_owner.c_str(),
                 library.c_str());
    return 1;
  }
  if (expected == "mimalloc") {
    auto object = std::make_unique<std::string>(1000, 'x');  // operator new, then malloc
    if (!in_mimalloc_heap(object.get()) || !in_mimalloc_heap(object->data())) {
      std::fprintf(stderr, "operator new did not allocate from mimalloc's heap\n");
      return 1;
    }
  }
  std::printf("malloc comes from %s\n", malloc_owner.c_str());
  return 0;
}
