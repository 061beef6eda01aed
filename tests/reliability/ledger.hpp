// ledger.hpp — the small domain the reliability tests and fuzz targets drive: accounts that
// take deposits and withdrawals, plus commands that exercise the edges of the runtime (two
// events in one command, a handler that throws, a handler that decides nothing, big events).
#pragma once

#include <cstdint>
#include <esk/esk.hpp>
#include <stdexcept>
#include <string>

namespace esk::reliability {

// Money came in.
struct Deposited {
  std::string account_id;
  std::int64_t amount = 0;
};
BOOST_DESCRIBE_STRUCT(Deposited, (), (account_id, amount))

// Money went out.
struct Withdrawn {
  std::string account_id;
  std::int64_t amount = 0;
};
BOOST_DESCRIBE_STRUCT(Withdrawn, (), (account_id, amount))

// A free-text note on the account (used to fill a disk).
struct Annotated {
  std::string account_id;
  std::string note;
};
BOOST_DESCRIBE_STRUCT(Annotated, (), (account_id, note))

// Put `amount` (> 0) on the account: one Deposited.
struct Deposit {
  std::string account_id;
  std::int64_t amount = 0;
};
BOOST_DESCRIBE_STRUCT(Deposit, (), (account_id, amount))

// Put `amount` (> 0) on the account twice: two Deposited in one append (all or nothing).
struct DepositTwice {
  std::string account_id;
  std::int64_t amount = 0;
};
BOOST_DESCRIBE_STRUCT(DepositTwice, (), (account_id, amount))

// Take `amount` (> 0) off the account; rejected when the balance is too small.
struct Withdraw {
  std::string account_id;
  std::int64_t amount = 0;
};
BOOST_DESCRIBE_STRUCT(Withdraw, (), (account_id, amount))

// Attach a note: one Annotated carrying it.
struct Annotate {
  std::string account_id;
  std::string note;
};
BOOST_DESCRIBE_STRUCT(Annotate, (), (account_id, note))

// Its handler throws (user code failing).
struct Explode {
  std::string account_id;
};
BOOST_DESCRIBE_STRUCT(Explode, (), (account_id))

// Its handler accepts and decides no events.
struct Touch {
  std::string account_id;
};
BOOST_DESCRIBE_STRUCT(Touch, (), (account_id))

struct Account {
  std::int64_t balance = 0;
  std::uint64_t deposits = 0;
  std::uint64_t notes = 0;

  void apply(const Deposited& event) {
    balance += event.amount;
    ++deposits;
  }
  void apply(const Withdrawn& event) { balance -= event.amount; }
  void apply(const Annotated&) { ++notes; }

  decision handle(const Deposit& command) const {
    if (command.amount <= 0) return reject("a deposit must be positive");
    return emit(Deposited{command.account_id, command.amount});
  }
  decision handle(const DepositTwice& command) const {
    if (command.amount <= 0) return reject("a deposit must be positive");
    return emit(Deposited{command.account_id, command.amount},
                Deposited{command.account_id, command.amount});
  }
  decision handle(const Withdraw& command) const {
    if (command.amount <= 0) return reject("a withdrawal must be positive");
    if (command.amount > balance)
      return reject("insufficient funds: balance " + std::to_string(balance));
    return emit(Withdrawn{command.account_id, command.amount});
  }
  decision handle(const Annotate& command) const {
    return emit(Annotated{command.account_id, command.note});
  }
  decision handle(const Explode& command) const {
    throw std::runtime_error("account " + command.account_id + " exploded on purpose");
  }
  decision handle(const Touch&) const { return decision{}; }
};
BOOST_DESCRIBE_STRUCT(Account, (), (balance, deposits, notes))

// Registers Account with its events and commands on `rt`.
inline void register_account(runtime& rt) {
  rt.aggregate<Account>("Account")
      .event<Deposited>("Deposited")
      .event<Withdrawn>("Withdrawn")
      .event<Annotated>("Annotated")
      .command<Deposit>("Deposit", &Deposit::account_id)
      .command<DepositTwice>("DepositTwice", &DepositTwice::account_id)
      .command<Withdraw>("Withdraw", &Withdraw::account_id)
      .command<Annotate>("Annotate", &Annotate::account_id)
      .command<Explode>("Explode", &Explode::account_id)
      .command<Touch>("Touch", &Touch::account_id);
}

}  // namespace esk::reliability
