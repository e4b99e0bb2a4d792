// Everything a plugin needs, in one include.
#pragma once

#include "optbench/sdk/abi.hpp"
#include "optbench/sdk/export.hpp"
#include "optbench/sdk/objective.hpp"
#include "optbench/sdk/optimizer.hpp"
#include "optbench/sdk/params.hpp"
#include "optbench/sdk/problem.hpp"
#include "optbench/sdk/rng.hpp"
// Not here: optbench/sdk/normals.hpp (standard normal numbers in bulk), whose vector
// intrinsics headers would slow down compiling every plugin.
