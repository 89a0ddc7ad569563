// Version and git commit, recorded at build time (cmake/build_info.cmake).
#pragma once

namespace synthminer::daemon {
extern const char* const kProjectVersion;  ///< project(VERSION) in CMakeLists.txt
extern const char* const kGitCommit;       ///< short hash, "-dirty" when modified, or "unknown"
}  // namespace synthminer::daemon
