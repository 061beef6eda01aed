// How a recorded event prints, and how streams are named.
#include "esk/store/recorded_event.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>

namespace esk {
namespace {

recorded_event sample_event(std::string payload) {
  return {"Account-1",
          2,
          7,
          "Deposited",
          std::move(payload),
          event_metadata{"e1", "c1", "r1", "k1", "2026-11-25T17:07:34.123Z"}};
}

std::string printed(const recorded_event& event) {
  std::ostringstream out;
  out << event;
  return out.str();
}

TEST(RecordedEvent, PrintsAsOneJsonLineWithThePayloadEmbedded) {
  std::string line = printed(sample_event(R"({"amount":5})"));

  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line, R"({"stream":"Account-1","version":2,"position":7,"type":"Deposited",)"
                  R"("payload":{"amount":5},"metadata":{"event_id":"e1","command_id":"c1",)"
                  R"("correlation_id":"r1","causation_id":"k1",)"
                  R"("recorded_at":"2026-11-25T17:07:34.123Z"}})");
}

TEST(RecordedEvent, PrintsAPayloadThatIsNotJsonAsAString) {
  std::string line = printed(sample_event("not \"json\"\n"));

  boost::json::value parsed = boost::json::parse(line);
  EXPECT_EQ(parsed.at("payload").as_string(), "not \"json\"\n");
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(RecordedEvent, EscapesStringsSoTheLineStaysValidJson) {
  recorded_event event = sample_event("{}");
  event.type = "Quote\"And\\Newline\n";

  boost::json::value parsed = boost::json::parse(printed(event));

  EXPECT_EQ(parsed.at("type").as_string(), "Quote\"And\\Newline\n");
}

TEST(StreamName, JoinsAggregateTypeAndIdWithADash) {
  EXPECT_EQ(stream_name("Account", "42"), "Account-42");
}

}  // namespace
}  // namespace esk
