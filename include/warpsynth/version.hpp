// warpsynth/version.hpp — library version and the Warp version whose output it reproduces.
#pragma once

#define WARPSYNTH_VERSION "0.2.0"
#define WARPSYNTH_WARP_VERSION "1.16.0"
