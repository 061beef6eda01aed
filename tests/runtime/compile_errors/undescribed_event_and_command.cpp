// Must NOT compile: an event type and a command type registered without a JSON mapping (no
// BOOST_DESCRIBE_STRUCT). The RuntimeCompileErrors test builds it and expects exactly one
// static_assert line for each, naming the macro to add, and no Boost.JSON internals.
#include <esk/esk.hpp>
#include <string>

struct UndescribedEvent {
  std::string thing_id;
};

struct UndescribedCommand {
  std::string thing_id;
};

struct Thing {
  void apply(const UndescribedEvent&) {}
  esk::decision handle(const UndescribedCommand& command) const {
    return esk::emit(UndescribedEvent{command.thing_id});
  }
};

void register_thing(esk::runtime& rt) {
  rt.aggregate<Thing>("Thing")
      .event<UndescribedEvent>("UndescribedEvent")
      .command<UndescribedCommand>("UndescribedCommand", &UndescribedCommand::thing_id);
}
