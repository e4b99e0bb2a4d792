// The `synthetic` problem library: classic test functions at any dimension.
#include "sphere.hpp"

OPTBENCH_PLUGIN("synthetic", "1.0.0", synthetic::Sphere)
