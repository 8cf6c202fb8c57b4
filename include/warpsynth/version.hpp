// warpsynth/version.hpp — library version and the Warp version whose output it reproduces.
#pragma once

// The minor version changes whenever the categories' (seed, index) -> record map changes.
#define WARPSYNTH_VERSION "0.5.0"
#define WARPSYNTH_WARP_VERSION "1.16.0"
