#include "protocol/work_source.h"

namespace synthminer::protocol {

const char* to_string(ConnectionState state) {
  switch (state) {
    case ConnectionState::kConnecting:
      return "connecting";
    case ConnectionState::kConnected:
      return "connected";
    case ConnectionState::kAuthorized:
      return "authorized";
    case ConnectionState::kDisconnected:
      return "disconnected";
  }
  return "?";
}

}  // namespace synthminer::protocol
