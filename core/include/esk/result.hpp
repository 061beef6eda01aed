// esk/result.hpp — a value or an esk::error (C++17 stand-in for std::expected).
#pragma once

#include <optional>
#include <utility>
#include <variant>

#include "esk/error.hpp"

namespace esk {

// Holds either a T or an error. Accessing the wrong alternative is a programming error
// and throws std::bad_variant_access.
template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : content_(std::move(value)) {}  // NOLINT: implicit by design
  result(error err) : content_(std::move(err)) {}  // NOLINT: implicit by design

  // True when the result holds a value.
  bool ok() const noexcept { return content_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  // The value. REQUIRES: ok().
  // On a temporary result (an rvalue, e.g. `*store.read_all()`) the value is moved out and
  // returned by value, not by reference: a reference would dangle once the temporary dies,
  // and `for (const auto& e : *store.read_all())` keeps only the range-init's final value
  // alive, not the result it came from.
  T& value() & { return std::get<0>(content_); }
  const T& value() const& { return std::get<0>(content_); }
  T value() && { return std::get<0>(std::move(content_)); }
  T value() const&& { return std::get<0>(content_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T operator*() && { return std::move(*this).value(); }
  T operator*() const&& { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // REQUIRES: !ok().
  const error& error_value() const { return std::get<1>(content_); }
  error_kind kind() const { return error_value().kind; }

 private:
  std::variant<T, error> content_;
};

// Success without a value, or an error.
template <>
class [[nodiscard]] result<void> {
 public:
  result() = default;
  result(error err) : error_(std::move(err)) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }

  // REQUIRES: !ok().
  const error& error_value() const { return *error_; }
  error_kind kind() const { return error_value().kind; }

 private:
  std::optional<error> error_;
};

// The usual name for a result without a value.
using status = result<void>;

}  // namespace esk
