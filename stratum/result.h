// The client reports errors the way the protocol does: the same Result and
// Error, so a parse failure passes up without conversion.
#pragma once

#include "protocol/result.h"

namespace synthminer::stratum {

using Error = protocol::Error;

template <class T>
using Result = protocol::Result<T>;

}  // namespace synthminer::stratum
