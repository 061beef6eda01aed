// Rehydration reads a stream a page at a time (actors/src/rehydration.hpp) and applies each
// page before reading the next: a stream of many pages rehydrates to the same state, version
// and remembered commands as one read would give, upcasting applies on every page, and a read
// that fails on a later page is an error value naming the stream and where the page started.
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "esk/esk.hpp"
#include "esk/store/forwarding_store.hpp"
#include "rehydration.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace paged_rehydration_test {

// Version 2 of Added; version 1 was {"n"}.
struct Added {
  std::int64_t amount = 0;
};
BOOST_DESCRIBE_STRUCT(Added, (), (amount))

struct Add {
  std::string tally_id;
  std::int64_t amount = 0;
};
BOOST_DESCRIBE_STRUCT(Add, (), (tally_id, amount))

struct Tally {
  std::int64_t total = 0;
  std::int64_t events = 0;
  std::int64_t last_amount = 0;

  void apply(const Added& event) {
    total += event.amount;
    ++events;
    last_amount = event.amount;
  }
  decision handle(const Add& command) const { return emit(Added{command.amount}); }
};
BOOST_DESCRIBE_STRUCT(Tally, (), (total, events, last_amount))

void register_tally(runtime& rt) {
  rt.aggregate<Tally>("Tally")
      .event<Added>("Added", schema_version{2})
      .upcast("Added", 1,
              [](boost::json::object v1) {
                boost::json::object v2;
                v2["amount"] = v1.at("n");
                return v2;
              })
      .command<Add>("Add", &Add::tally_id);
}

constexpr std::size_t page = actors::rehydration_page_events;

// Appends events 1..count to stream "Tally-<id>", event i adding i: those of odd versions as
// an older build stored them (Added v1, {"n": i}), the others as Added v2. Each event is its
// own command ("cmd-<i>"), except that the events from `shared_from` to `shared_to` (when
// given) are one command's, "shared".
void write_tally(event_store& store, const std::string& id, std::size_t count,
                 std::size_t shared_from = 0, std::size_t shared_to = 0) {
  append_request request{"Tally-" + id, 0, {}};
  for (std::size_t i = 1; i <= count; ++i) {
    const std::string number = std::to_string(i);
    const bool old = i % 2 == 1;
    const bool shared = i >= shared_from && i <= shared_to;
    request.events.push_back({old ? "Added" : "Added@v2",
                              old ? R"({"n":)" + number + "}" : R"({"amount":)" + number + "}",
                              {"event-" + number, shared ? "shared" : "cmd-" + number, "", "",
                               "2026-01-01T00:00:00.000Z"}});
  }
  auto appended = store.append(request);
  ASSERT_TRUE(appended) << appended.error_value();
}

std::int64_t sum_to(std::size_t count) {
  return static_cast<std::int64_t>(count * (count + 1) / 2);
}

// Fails the reads of the stream log that start after version 1 (a later page), while `failing`.
class failing_later_pages_store final : public forwarding_store {
 public:
  using forwarding_store::forwarding_store;
  std::atomic<bool> failing{true};

  result<std::vector<recorded_event>> read_stream(const std::string& stream,
                                                  std::uint64_t from_version,
                                                  std::size_t limit) override {
    if (failing && from_version > 1)
      return error{error_kind::store_unavailable, "injected: the disk went away"};
    return forwarding_store::read_stream(stream, from_version, limit);
  }
};

template <class Backend>
class PagedRehydration : public ::testing::Test {
 protected:
  Backend backend;
};

using backends = ::testing::Types<testing::memory_backend, testing::sqlite_backend>;
TYPED_TEST_SUITE(PagedRehydration, backends, testing::backend_name);

TYPED_TEST(PagedRehydration, AStreamOfManyPagesRehydratesToItsLastEventAndVersion) {
  for (const std::size_t count : {2 * page + 3, 2 * page}) {  // a short last page; a full one
    SCOPED_TRACE(std::to_string(count) + " events");
    auto store = this->backend.open();
    const std::string id = "t" + std::to_string(count);
    write_tally(*store, id, count);
    runtime rt{store};
    register_tally(rt);

    auto tally = rt.versioned_state<Tally>(id);

    ASSERT_TRUE(testing::succeeded(tally));
    EXPECT_EQ(tally->version, count);
    EXPECT_EQ(tally->state.events, static_cast<std::int64_t>(count));
    EXPECT_EQ(tally->state.total, sum_to(count)) << "every page was upcast and applied once";
    EXPECT_EQ(tally->state.last_amount, static_cast<std::int64_t>(count));
  }
}

TYPED_TEST(PagedRehydration, ACommandAfterRehydratingManyPagesExpectsTheLastVersion) {
  auto store = this->backend.open();
  write_tally(*store, "t", 2 * page + 3);
  runtime rt{store};
  register_tally(rt);

  auto added = rt.execute(Add{"t", 1000});

  ASSERT_TRUE(testing::succeeded(added));
  ASSERT_EQ(added->size(), 1u);
  EXPECT_EQ(added->front().version, 2 * page + 4);
}

TYPED_TEST(PagedRehydration, ACommandWhoseEventsStraddleTwoPagesIsRememberedAsOne) {
  auto store = this->backend.open();
  write_tally(*store, "t", 2 * page + 3, page - 1, page + 2);
  runtime rt{store};
  register_tally(rt);
  command_options repeat;
  repeat.command_id = "shared";

  auto answered = rt.execute(Add{"t", 1}, repeat);

  ASSERT_TRUE(testing::succeeded(answered));
  ASSERT_EQ(answered->size(), 4u) << "answered with the events it recorded the first time";
  EXPECT_EQ(answered->front().version, page - 1);
  EXPECT_EQ(answered->back().version, page + 2);
  auto tally = rt.versioned_state<Tally>("t");
  ASSERT_TRUE(testing::succeeded(tally));
  EXPECT_EQ(tally->version, 2 * page + 3) << "not applied again";
}

TYPED_TEST(PagedRehydration, AReadThatFailsOnALaterPageIsAnErrorNamingTheStreamAndVersion) {
  auto store = std::make_shared<failing_later_pages_store>(this->backend.open());
  write_tally(*store, "t", 2 * page + 3);
  runtime rt{store};
  register_tally(rt);

  auto failed = rt.versioned_state<Tally>("t");
  store->failing = false;
  auto after = rt.versioned_state<Tally>("t");

  ASSERT_TRUE(testing::failed_with(failed, error_kind::store_unavailable));
  EXPECT_TRUE(testing::contains(failed.error_value().message, "'Tally-t'"));
  EXPECT_TRUE(
      testing::contains(failed.error_value().message, "from version " + std::to_string(page + 1)));
  EXPECT_TRUE(testing::contains(failed.error_value().message, "injected: the disk went away"));
  ASSERT_TRUE(testing::succeeded(after)) << "the runtime stays up and the next read rehydrates";
  EXPECT_EQ(after->version, 2 * page + 3);
  EXPECT_EQ(after->state.total, sum_to(2 * page + 3));
}

// Each event is decoded by a parser its thread keeps from one event to the next, into a buffer
// on the stack (esk/registry.hpp): a payload larger than the buffer still decodes whole, and
// a payload that is not JSON fails its stream only.
TYPED_TEST(PagedRehydration, APayloadLargerThanTheParseBufferDecodesWhole) {
  auto store = this->backend.open();
  const std::string note(20000, 'n');  // an unknown member, ignored, as a later schema may add
  append_request request{"Tally-big", 0, {}};
  for (int amount : {3, 4})
    request.events.push_back(
        {"Added@v2",
         R"({"note":")" + note + R"(","amount":)" + std::to_string(amount) + "}",
         {"event-big-" + std::to_string(amount), "c", "", "", "2026-01-01T00:00:00.000Z"}});
  ASSERT_TRUE(store->append(request));
  runtime rt{store};
  register_tally(rt);

  auto tally = rt.versioned_state<Tally>("big");

  ASSERT_TRUE(testing::succeeded(tally));
  EXPECT_EQ(tally->state.total, 7);
}

TYPED_TEST(PagedRehydration, APayloadThatIsNotJsonIsBadJsonAndTheNextStreamStillDecodes) {
  auto store = this->backend.open();
  ASSERT_TRUE(store->append({"Tally-bad",
                             0,
                             {{"Added@v2",
                               R"({"amount":[1,2,{"n":)",
                               {"event-bad", "c", "", "", "2026-01-01T00:00:00.000Z"}}}}));
  write_tally(*store, "good", 3);
  runtime_options one_reader;
  one_reader.max_concurrent_rehydrations = 1;  // both streams decoded by the same parser
  runtime rt{store, one_reader};
  register_tally(rt);

  auto bad = rt.versioned_state<Tally>("bad");
  auto good = rt.versioned_state<Tally>("good");

  ASSERT_TRUE(testing::failed_with(bad, error_kind::bad_json));
  EXPECT_TRUE(testing::contains(bad.error_value().message, "Added"));
  EXPECT_TRUE(testing::contains(bad.error_value().message, "at version 1"));
  ASSERT_TRUE(testing::succeeded(good));
  EXPECT_EQ(good->state.total, 6);
}

}  // namespace paged_rehydration_test
}  // namespace esk
