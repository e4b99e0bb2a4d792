// Values other work published (a paper's table, the runs of a closed code) set beside a results
// folder's runs of the same problems: where each published final error falls among the runs
// of each optimizer here. One published run against a distribution of runs says how typical
// that run would be here, not whether the two methods differ.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "report/data.hpp"
#include "report/tables.hpp"

namespace optbench::host::report {

// A line of a published-values file (CSV with the header label,problem,runs,error,source).
struct PublishedValue {
    std::string label;    // who published it, e.g. "the original paper"
    std::string problem;  // a problem spec as in runs.csv, e.g. "rastrigin:dim=10,instance=2"
    std::size_t runs = 1;  // runs behind the value (1: one run's final error)
    double error = 0;      // final error f - f_opt
    std::string source;   // where it was published
};

// Throws Error naming the file, line and column of a bad field.
std::vector<PublishedValue> read_published(const std::filesystem::path& file);

struct PublishedCell {
    std::string optimizer;
    std::size_t runs = 0;   // ok runs here
    double median = 0, best = 0, worst = 0;
    std::size_t below = 0;  // runs here with a lower final error than the published one
    std::size_t ties = 0;   // runs here with the same final error
};

struct PublishedRow {
    PublishedValue published;
    std::string problem;  // the matching problem of the results ("" when none)
    std::vector<PublishedCell> cells;  // in the order of the results' optimizers
};

// Matches each published value's problem to the results' problems (same name and parameters,
// in any order); values of problems without runs here keep empty cells.
std::vector<PublishedRow> published_comparison(const ResultSet& results, const std::vector<PublishedValue>& published);

Table published_table(const std::vector<PublishedRow>& rows);
std::string published_csv(const std::vector<PublishedRow>& rows);

}  // namespace optbench::host::report
