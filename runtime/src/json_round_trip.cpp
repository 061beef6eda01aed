#include "esk/json_round_trip.hpp"

#include <algorithm>

#include "esk/type_name.hpp"

namespace esk::detail {
namespace {

std::size_t round_up(std::size_t offset, std::size_t alignment) {
  return alignment == 0 ? offset : (offset + alignment - 1) / alignment * alignment;
}

std::string byte_range(std::size_t first, std::size_t end, const char* after) {
  std::string range = "bytes " + std::to_string(first) + " to " + std::to_string(end - 1);
  if (after) range += std::string(" (after member '") + after + "')";
  return range;
}

}  // namespace

std::string undescribed_bytes(std::vector<member_extent> members, std::size_t object_size,
                              std::size_t object_alignment) {
  std::sort(members.begin(), members.end(),
            [](const member_extent& a, const member_extent& b) { return a.offset < b.offset; });
  std::vector<std::string> gaps;
  std::size_t covered_to = 0;
  const char* previous = nullptr;
  for (const auto& member : members) {
    if (member.offset > round_up(covered_to, member.alignment))
      gaps.push_back(byte_range(covered_to, member.offset, previous));
    covered_to = std::max(covered_to, member.offset + member.size);
    previous = member.name;
  }
  if (round_up(covered_to, object_alignment) < object_size)
    gaps.push_back(byte_range(covered_to, object_size, previous));
  if (gaps.empty()) return {};
  std::string findings;
  for (const auto& gap : gaps) findings += (findings.empty() ? "" : ", ") + gap;
  return findings + " of its " + std::to_string(object_size) +
         " bytes belong to no described member, so they are never stored";
}

std::string round_trip_subject(std::string_view registered_name, const std::type_info& type) {
  if (registered_name.empty()) return readable_type_name(type);
  return std::string(registered_name) + " (" + readable_type_name(type) + ")";
}

error round_trip_error(std::string_view registered_name, const std::type_info& type,
                       const std::string& findings) {
  return {error_kind::handler_failed,
          round_trip_subject(registered_name, type) +
              " does not survive its JSON round trip (stored, it would come back different): " +
              findings + " (is a member missing from BOOST_DESCRIBE_STRUCT?)"};
}

}  // namespace esk::detail
