#include "esk/type_name.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>

namespace esk {
namespace {

std::string demangled(const char* raw_name) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name{
      abi::__cxa_demangle(raw_name, nullptr, nullptr, &status), std::free};
  if (status != 0 || !name) return raw_name;
  return name.get();
}

}  // namespace

std::string readable_type_name(const std::type_info& type) { return demangled(type.name()); }

std::string readable_type_name(std::type_index type) { return demangled(type.name()); }

}  // namespace esk
