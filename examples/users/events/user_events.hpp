// The facts of the users domain.
#pragma once

#include <boost/describe/class.hpp>
#include <string>

namespace users {

// A user was registered.
struct UserCreated {
  std::string user_id;
  std::string name;
  std::string email;
};
BOOST_DESCRIBE_STRUCT(UserCreated, (), (user_id, name, email))

// A user's email address changed.
struct UserEmailChanged {
  std::string user_id;
  std::string email;
};
BOOST_DESCRIBE_STRUCT(UserEmailChanged, (), (user_id, email))

}  // namespace users
