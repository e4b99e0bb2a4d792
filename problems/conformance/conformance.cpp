// The check library: problems `optbench check` runs optimizers on. It is installed beside the
// plugin folder, not in it, so campaigns and `optbench list` never see these test problems.
#include "conformance_problems.hpp"

using namespace optbench::conformance;

OPTBENCH_PLUGIN("conformance", "1.0.0", BoxQuadratic, NonFinite, Throwing, FiniteSum, Unbounded, NoGradient)
