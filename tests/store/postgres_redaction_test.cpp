// Passwords never appear in what the PostgreSQL store says: neither in the connection string
// it shows nor in libpq's own messages, which quote the string or the pieces libpq cut a
// malformed one into.
#include "postgres_redaction.hpp"

#include <gtest/gtest.h>

#include <string>

#include "esk/store/postgres_store.hpp"

namespace esk::testing {
namespace {

// Opening `url` fails (nothing listens on port 1, or libpq cannot parse it); its message.
std::string failure_opening(const std::string& url) {
  auto opened = open_postgres_store(url);
  if (opened) return "(opened)";
  return opened.error_value().message;
}

TEST(PostgresRedaction, APasswordHoldingAnUnencodedSlashIsHiddenWhole) {
  const std::string shown = redact_password("postgresql://app:Pa55/w0rd@db.example.org/events");

  EXPECT_EQ(shown, "postgresql://app:***@db.example.org/events");
}

TEST(PostgresRedaction, APasswordHoldingAnUnencodedAtSignIsHiddenWhole) {
  const std::string shown = redact_password("postgresql://app:Pa55@w0rd@db.example.org/events");

  EXPECT_EQ(shown, "postgresql://app:***@db.example.org/events");
}

TEST(PostgresRedaction, QueryAndKeywordPasswordsAreHidden) {
  EXPECT_EQ(redact_password("postgres://app@db/events?sslmode=disable&password=Pa55w0rd&port=5"),
            "postgres://app@db/events?sslmode=disable&password=***&port=5");
  EXPECT_EQ(redact_password("postgresql://app@db/events?sslpassword=K3yPass"),
            "postgresql://app@db/events?sslpassword=***");
  EXPECT_EQ(redact_password("host=db password='Pa55 w0rd' dbname=events"),
            "host=db password=*** dbname=events");
}

TEST(PostgresRedaction, AUriQuotedInsideAMessageIsRedacted) {
  const std::string shown =
      redact_password(R"(end of string reached in URI: "postgresql://app:Pa55w0rd@[::1/events")");

  EXPECT_EQ(shown.find("Pa55w0rd"), std::string::npos) << shown;
}

TEST(PostgresRedaction, LibpqsPiecesOfAPasswordCutAtAnAtSignAreHidden) {
  const std::string shown =
      redact_connection_message(R"(could not translate host name "w0rd@db.example.org" to address)",
                                "postgresql://app:Pa55@w0rd@db.example.org/events");

  EXPECT_EQ(shown, R"(could not translate host name "***" to address)");
}

TEST(PostgresRedaction, OpeningWithABadlyPercentEncodedPasswordDoesNotShowIt) {
  const std::string message = failure_opening("postgresql://app:Pa55%zzw0rd@127.0.0.1:1/events");

  EXPECT_NE(message.find("percent-encoded"), std::string::npos) << message;
  EXPECT_EQ(message.find("Pa55"), std::string::npos) << message;
}

TEST(PostgresRedaction, OpeningAUriWithAnUnclosedBracketDoesNotShowThePassword) {
  const std::string message = failure_opening("postgresql://app:Pa55w0rd@[::1/events");

  EXPECT_NE(message.find("IPv6"), std::string::npos) << message;
  EXPECT_EQ(message.find("Pa55w0rd"), std::string::npos) << message;
}

TEST(PostgresRedaction, OpeningWithAnUnencodedSlashInThePasswordShowsNoPieceOfIt) {
  // libpq takes "app" for the host and "Pa55" for its port.
  const std::string message = failure_opening("postgresql://app:Pa55/w0rd@127.0.0.1:1/events");

  EXPECT_NE(message.find("port"), std::string::npos) << message;
  EXPECT_EQ(message.find("Pa55"), std::string::npos) << message;
  EXPECT_EQ(message.find("w0rd"), std::string::npos) << message;
}

}  // namespace
}  // namespace esk::testing
