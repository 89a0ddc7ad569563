// The device factory's names as the daemon has always spelled them. The
// factory itself is devices/device_setup.h. This header remains only while
// mining_session.h and vgpu_devices.h (changed on other branches) include
// it; once they include devices/device_setup.h it can go.
#pragma once

#include "devices/device_setup.h"

namespace synthminer::daemon {

using devices::build_devices;
using devices::DeviceSetup;
using devices::MiningDevice;
using devices::scheduler_options;

}  // namespace synthminer::daemon
