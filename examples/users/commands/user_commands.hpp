// The requests of the users domain.
#pragma once

#include <boost/describe/class.hpp>
#include <string>

namespace users {

// Register a new user. Rejected if the user already exists.
struct CreateUser {
  std::string user_id;
  std::string name;
  std::string email;
};
BOOST_DESCRIBE_STRUCT(CreateUser, (), (user_id, name, email))

// Change a user's email. Rejected for an unknown user or an unchanged address.
struct ChangeEmail {
  std::string user_id;
  std::string email;
};
BOOST_DESCRIBE_STRUCT(ChangeEmail, (), (user_id, email))

}  // namespace users
