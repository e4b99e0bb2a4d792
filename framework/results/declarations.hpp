// What plugins declare about themselves, as a results folder keeps it (manifest.json): the
// report reads it there, so it never needs the plugins, and nothing in the host names one.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace optbench::host {

struct MetricDeclaration {
    std::string name, doc;
    bool higher_is_better = false;
};

struct StatDeclaration {
    std::string name, doc;
    bool in_figure = false;  // a panel of the optimizer's figure (best-so-far value first)
};

struct ProblemDeclaration {
    std::string suite;               // "" outside a suite
    std::string function_parameter;  // the parameter that picks the suite's function; "" none
    std::string instance_parameter;  // the parameter that picks an instance; "" none
    bool coco_format = false;        // its runs can be exported in COCO's data format
    bool cec_format = false;         // its runs are reported in the CEC competitions' format
    std::vector<MetricDeclaration> metrics;
    // The metric whose best checkpoint selects a run's selected_<metric> values; "" for none.
    std::string selection_metric;
};

// The fractions of the budget where CEC competitions record the error (0.01, 0.02, 0.03, 0.05,
// 0.1, 0.2, ..., 1.0): the trace of a CEC-format problem's run has a row at each.
inline const std::vector<double>& cec_checkpoint_fractions() {
    static const std::vector<double> fractions = {0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3,
                                                  0.4,  0.5,  0.6,  0.7,  0.8, 0.9, 1.0};
    return fractions;
}

struct OptimizerDeclaration {
    std::vector<StatDeclaration> stats;
};

// By the name a campaign spells the optimizer or problem with (as in runs.csv).
struct Declarations {
    std::map<std::string, ProblemDeclaration> problems;
    std::map<std::string, OptimizerDeclaration> optimizers;

    // Empty declarations for names the folder does not declare (an older folder).
    const ProblemDeclaration& problem(const std::string& name) const;
    const OptimizerDeclaration& optimizer(const std::string& name) const;
};

}  // namespace optbench::host
