// esk/esk.hpp — everything an application needs, in one include.
#pragma once

#include <boost/describe/class.hpp>

#include "esk/actors/snapshot_policy.hpp"
#include "esk/decision.hpp"
#include "esk/error.hpp"
#include "esk/json_codec.hpp"
#include "esk/process_manager.hpp"
#include "esk/projection.hpp"
#include "esk/projection_options.hpp"
#include "esk/result.hpp"
#include "esk/runtime.hpp"
#include "esk/store/event_store.hpp"
#include "esk/store/memory_store.hpp"
#include "esk/store/sqlite_read_model.hpp"
#include "esk/store/sqlite_store.hpp"
#include "esk/typed_projection.hpp"
#include "esk/upcasting.hpp"
