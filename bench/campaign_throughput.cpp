// Campaign throughput with --jobs 1 vs 2 on many short runs (goal >= 1.8x on 2 cores), and
// the fixed cost per run (worker dispatch, plugin objects, part files, assembly).
// Usage: bench_campaign_throughput [quick]
#include <chrono>
#include <cstdio>
#include <string_view>

#include "campaign/driver.hpp"
#include "testing.hpp"

using namespace optbench;

namespace {

double seconds_for(const host::Campaign& campaign, std::size_t jobs) {
    testing::TempDir dir;
    host::ExecutionOptions options;
    options.jobs = jobs;
    const auto start = std::chrono::steady_clock::now();
    host::run_campaign(testing::registry(), campaign, (dir.path() / "out").string(), options);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::string_view(argv[1]) == "quick";
    host::Campaign campaign;
    campaign.optimizers = host::parse_spec_list("random_search");
    campaign.problems = host::parse_spec_list("sphere:dim=100");
    campaign.seeds = quick ? 20 : 200;
    campaign.settings.budget = 100000;  // about 10 ms per run
    const double serial = seconds_for(campaign, 1);
    const double parallel = seconds_for(campaign, 2);
    std::printf("%zu runs of random_search on sphere D=100, budget 1e5\n", campaign.seeds);
    std::printf("  --jobs 1: %.2f s, --jobs 2: %.2f s, speed-up %.2fx (goal >= 1.8x)\n", serial, parallel,
                serial / parallel);

    campaign.seeds = quick ? 50 : 500;
    campaign.settings.budget = 1;
    const double fixed = seconds_for(campaign, 1);
    std::printf("fixed cost per run (budget 1, --jobs 1): %.2f ms over %zu runs\n",
                1e3 * fixed / campaign.seeds, campaign.seeds);
    return 0;
}
