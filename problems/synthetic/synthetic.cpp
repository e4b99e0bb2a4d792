// The `synthetic` problem library: classic test functions at any dimension.
#include "functions.hpp"

using synthetic::ClassicProblem;

OPTBENCH_PLUGIN("synthetic", "1.2.0", ClassicProblem<synthetic::Sphere>,
                ClassicProblem<synthetic::Ellipsoid>, ClassicProblem<synthetic::Rosenbrock>,
                ClassicProblem<synthetic::Rastrigin>, ClassicProblem<synthetic::Ackley>,
                ClassicProblem<synthetic::Schwefel>, ClassicProblem<synthetic::Griewank>,
                ClassicProblem<synthetic::StyblinskiTang>, ClassicProblem<synthetic::Levy>,
                ClassicProblem<synthetic::Zakharov>)
