// warpsynth/version.hpp — library version and the Warp version whose output it reproduces.
#pragma once

#define WARPSYNTH_VERSION "0.3.0"  // the minor version changes whenever (seed, index) -> record changes
#define WARPSYNTH_WARP_VERSION "1.16.0"
