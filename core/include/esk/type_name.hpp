// esk/type_name.hpp — C++ type names as a reader writes them, for error messages.
#pragma once

#include <string>
#include <typeindex>
#include <typeinfo>

namespace esk {

// The demangled name of `type` ("main::NotRegistered", not "Z4mainE13NotRegistered"); the
// compiler's raw name when it cannot be demangled. Never throws except std::bad_alloc.
std::string readable_type_name(const std::type_info& type);
std::string readable_type_name(std::type_index type);

}  // namespace esk
