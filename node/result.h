// The node module reports bad input (an address, a block template) the way
// the protocol does: a Result holding a value or a message. The messages
// name the field and never quote long values.
#pragma once

#include "protocol/result.h"

namespace synthminer::node {

using Error = protocol::Error;
template <class T>
using Result = protocol::Result<T>;

}  // namespace synthminer::node
