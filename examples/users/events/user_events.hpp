// The facts of the users domain.
#pragma once

#include <boost/describe/class.hpp>
#include <boost/json/object.hpp>
#include <string>

namespace users {

// A user was registered. Schema version 2: version 1 was recorded before users had an email
// address, and is read through upcast_user_created_v1 (registered in register_user).
struct UserCreated {
  std::string user_id;
  std::string name;
  std::string email;
};
BOOST_DESCRIBE_STRUCT(UserCreated, (), (user_id, name, email))

// A stored UserCreated of version 1 ({"user_id", "name"}) as version 2: with an empty email
// (the user sets one with ChangeEmail). A version 1 payload that has an email keeps it.
inline boost::json::object upcast_user_created_v1(boost::json::object v1) {
  if (!v1.contains("email")) v1["email"] = "";
  return v1;
}

// A user's email address changed.
struct UserEmailChanged {
  std::string user_id;
  std::string email;
};
BOOST_DESCRIBE_STRUCT(UserEmailChanged, (), (user_id, email))

}  // namespace users
