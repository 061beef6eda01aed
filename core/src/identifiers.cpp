#include "esk/identifiers.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>

namespace esk {
namespace {

void append_hex(std::string& text, std::uint64_t value) {
  static constexpr char digits[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) text.push_back(digits[(value >> shift) & 0xf]);
}

}  // namespace

std::string new_unique_id() {
  // One generator per thread: no lock on the hot path, seeded once from the OS.
  thread_local std::mt19937_64 generator{[] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }()};
  std::string text;
  text.reserve(32);
  append_hex(text, generator());
  append_hex(text, generator());
  return text;
}

std::string utc_timestamp_now() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t seconds = system_clock::to_time_t(now);
  const auto millis =
      static_cast<int>(duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000);
  // Formatting the date is the expensive part and changes once a second: keep it per thread.
  thread_local std::time_t formatted_second = -1;
  thread_local char formatted[64] = {};
  if (seconds != formatted_second) {
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::snprintf(formatted, sizeof formatted, "%04d-%02d-%02dT%02d:%02d:%02d.", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
    formatted_second = seconds;
  }
  // One allocation: the string is built at its full length, not grown past the date part.
  const std::size_t date_length = std::strlen(formatted);
  std::string text(date_length + 4, 'Z');
  std::memcpy(text.data(), formatted, date_length);
  text[date_length] = static_cast<char>('0' + millis / 100);
  text[date_length + 1] = static_cast<char>('0' + millis / 10 % 10);
  text[date_length + 2] = static_cast<char>('0' + millis % 10);
  return text;
}

}  // namespace esk
