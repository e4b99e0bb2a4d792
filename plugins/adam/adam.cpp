// Adam (Kingma & Ba 2015) as users know it from torch.optim.Adam and scikit-learn's
// MLPClassifier(solver='adam'): full-batch or minibatch, L2 weight decay, forward differences
// on problems without a gradient. README.md in this folder gives the exact definitions.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "adam_update.hpp"
#include "optbench/sdk/sdk.hpp"

namespace {

using namespace optbench;

// scikit-learn's MLPClassifier(solver='adam') defaults that differ from ours.
namespace sklearn {
constexpr std::int64_t batch = 200;
constexpr double alpha = 1e-4;
constexpr std::int64_t n_iter_no_change = 10;
constexpr std::int64_t max_iter = 200;
}  // namespace sklearn

// The parameters after the preset has filled in the values the user did not give.
struct Settings {
    adam::Coefficients coefficients;
    double weight_decay = 0;
    bool decay_per_sample = false;  // the L2 coefficient is divided by the batch size
    std::size_t batch = 0;          // 0: full gradient
    bool finite_differences = false;
    double tol = 0;
    std::int64_t patience = 0;    // 0: never stop on the loss
    std::int64_t max_epochs = 0;  // 0: no limit
    std::vector<double> x0;       // empty: the problem's start point
    bool sklearn_preset = false;
};

// Open-ended ranges are checked here rather than declared: declarations are closed intervals.
double in_unit_interval(const sdk::Params& p, const char* name) {
    const double value = p.real(name);
    if (!(value >= 0 && value < 1))
        throw sdk::ParamError(std::string("parameter '") + name + "' must be in [0, 1), got " +
                              sdk::detail::format_number(value));
    return value;
}

double positive(const sdk::Params& p, const char* name) {
    const double value = p.finite_real(name);
    if (!(value > 0))
        throw sdk::ParamError(std::string("parameter '") + name + "' must be > 0, got " +
                              sdk::detail::format_number(value));
    return value;
}

std::vector<double> parse_point(const std::string& text) {
    std::vector<double> point;
    if (text.empty()) return point;
    for (std::string_view part : sdk::detail::split(text, ':')) {
        double value = 0;
        if (!sdk::detail::parse_double(part, value) || !std::isfinite(value))
            throw sdk::ParamError("parameter 'x0' expects finite numbers separated by ':' (e.g. "
                                  "-1.2:1), got '" + text + "'");
        point.push_back(value);
    }
    return point;
}

// scikit-learn's stopping rule: an epoch whose loss is not below the best loss so far minus
// tol is a stall; more than `patience` stalls in a row end the run.
class StallCounter {
public:
    StallCounter(double tol, std::int64_t patience) : tol_(tol), patience_(patience) {}

    bool stalled_after(double loss) {
        stalls_ = loss > best_ - tol_ ? stalls_ + 1 : 0;
        best_ = std::min(best_, loss);
        return patience_ > 0 && stalls_ > patience_;
    }

private:
    double tol_;
    std::int64_t patience_;
    std::int64_t stalls_ = 0;
    double best_ = std::numeric_limits<double>::infinity();
};

// Full-batch runs report internals at the steps floor(10^(k/10)), k = 0, 1, 2, ...: 1, 2, 3,
// 5, 6, 7, 10, 12, 15, 19, 25, ... (ten per decade from step 10 on), so long runs stay
// readable.
class LogSpacedSteps {
public:
    bool due(std::uint64_t step) {
        if (static_cast<double>(step) < next_) return false;
        while (next_ <= static_cast<double>(step))
            next_ = std::floor(std::pow(10.0, ++exponent_ / 10.0));
        return true;
    }

private:
    double next_ = 1;
    int exponent_ = 0;
};

struct Box {
    std::vector<double> lower, upper;

    explicit Box(const sdk::Objective& objective) {
        for (std::size_t i = 0; i < objective.dimension(); ++i) {
            lower.push_back(objective.lower(i));
            upper.push_back(objective.upper(i));
        }
    }
    void project(std::span<double> x) const {
        for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::clamp(x[i], lower[i], upper[i]);
    }
};

// Forward differences with steps sqrt(machine epsilon) * max(1, |x_i|); a coordinate whose
// forward point would leave the box is differenced backwards (or over what room is left).
template <class Value>
void finite_difference_gradient(Value&& value, std::span<const double> x, double fx, const Box& box,
                                std::span<double> gradient) {
    const double relative_step = std::sqrt(std::numeric_limits<double>::epsilon());
    std::vector<double> probe(x.begin(), x.end());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double nominal = relative_step * std::max(1.0, std::fabs(x[i]));
        const double room_up = box.upper[i] - x[i], room_down = x[i] - box.lower[i];
        if (room_up >= nominal)
            probe[i] = x[i] + nominal;
        else if (room_down >= nominal)
            probe[i] = x[i] - nominal;
        else
            probe[i] = room_up >= room_down ? box.upper[i] : box.lower[i];
        // The step actually taken, after rounding x + h, is what the quotient divides by.
        const double h = probe[i] - x[i];
        gradient[i] = h == 0 ? 0 : (value(std::span<const double>(probe)) - fx) / h;
        probe[i] = x[i];
    }
}

bool all_finite(std::span<const double> v) {
    return std::all_of(v.begin(), v.end(), [](double e) { return std::isfinite(e); });
}

double norm(std::span<const double> v) {
    double sum = 0;
    for (double e : v) sum += e * e;
    return std::sqrt(sum);
}

class Adam final : public sdk::Optimizer {
public:
    static constexpr const char* name = "adam";
    static constexpr const char* description =
        "Adam (Kingma & Ba, bias-corrected as torch.optim.Adam), full-batch or minibatch; "
        "projects onto the box after each step; preset=sklearn = MLPClassifier(solver='adam')";
    // With the defaults (full batch, analytic gradient) the seed is never used.
    static constexpr std::uint32_t capabilities = abi::needs_gradient | abi::deterministic;
    static constexpr abi::StatSpec stats[] = {
        {"epoch_loss", "mean minibatch loss over an epoch", 0},
        {"step_norm", "mean Euclidean norm of a step over an epoch", 0},
        {"grad_norm", "mean Euclidean norm of a gradient over an epoch", 0},
        {sdk::own_penalty_stat,
         "weight_decay when it is not 0, reported once at the start: adam then minimises the "
         "problem's objective plus its own L2 penalty",
         0},
    };
    static constexpr abi::ParamSpec params[] = {
        sdk::choice("preset", "none", "none|sklearn",
                    "sklearn: scikit-learn MLPClassifier(solver='adam') defaults (batch=200, "
                    "weight_decay=1e-4, decay_scaling=batch, patience=10, max_epochs=200) for "
                    "every parameter not given; on a problem with its own L2 term (mnist_mlp:l2) "
                    "give weight_decay=0"),
        sdk::real("lr", "1e-3", "learning rate (step size), > 0"),
        sdk::real("beta1", "0.9", "decay of the first-moment average, in [0, 1)"),
        sdk::real("beta2", "0.999", "decay of the second-moment average, in [0, 1)"),
        sdk::real("eps", "1e-8", "added to the bias-corrected sqrt(v), > 0"),
        sdk::real("weight_decay", "0",
                  "L2 coefficient: adds weight_decay*x to the gradient on the decay mask's "
                  "coordinates (all when the problem has no mask)",
                  0, sdk::unbounded),
        sdk::choice("decay_scaling", "none", "none|batch",
                    "batch: divide the L2 coefficient by the batch's sample count (sklearn's "
                    "alpha); needs a finite-sum problem"),
        sdk::integer("batch", "0",
                     "0: full gradient; b: minibatches of min(b, N) samples, reshuffled each "
                     "epoch (finite-sum problems), each costing b/N evaluation + b/N gradient",
                     0, 1e9),
        sdk::choice("gradient", "analytic", "analytic|fd",
                    "fd: forward differences (dimension + 1 evaluations per gradient)"),
        sdk::real("tol", "1e-4", "an epoch improves when its loss drops by more than tol", 0,
                  sdk::unbounded),
        sdk::integer("patience", "0",
                     "stop after more than this many epochs in a row without improvement "
                     "(sklearn's n_iter_no_change); 0: never",
                     0, 1e9),
        sdk::integer("max_epochs", "0",
                     "stop after this many epochs (a full-batch step is an epoch); 0: no limit", 0,
                     1e15),
        sdk::text("x0", "",
                  "start point, values separated by ':' (one value: every coordinate); empty: "
                  "the problem's start point, else the box centre (0 where unbounded)"),
    };

    explicit Adam(const sdk::Params& p) {
        s_.sklearn_preset = p.text("preset") == "sklearn";
        const auto preset = [&](const char* key) { return s_.sklearn_preset && !p.given(key); };
        s_.coefficients = {positive(p, "lr"), in_unit_interval(p, "beta1"),
                           in_unit_interval(p, "beta2"), positive(p, "eps")};
        s_.weight_decay = preset("weight_decay") ? sklearn::alpha : p.finite_real("weight_decay");
        s_.decay_per_sample = preset("decay_scaling") || p.text("decay_scaling") == "batch";
        s_.batch = static_cast<std::size_t>(preset("batch") ? sklearn::batch : p.integer("batch"));
        s_.finite_differences = p.text("gradient") == "fd";
        s_.tol = p.real("tol");
        s_.patience = preset("patience") ? sklearn::n_iter_no_change : p.integer("patience");
        s_.max_epochs = preset("max_epochs") ? sklearn::max_iter : p.integer("max_epochs");
        s_.x0 = parse_point(p.text("x0"));
    }

    void run(sdk::Objective& objective, std::uint64_t seed) override {
        check_applicable(objective);
        if (s_.weight_decay > 0) objective.report(sdk::own_penalty_stat, s_.weight_decay);
        Box box(objective);
        std::vector<double> x = start_point(objective, box);
        current_scored_ = false;
        try {
            minimize(objective, box, x, seed);
        } catch (const sdk::Stop&) {
            recommend_current(objective, x);
            throw;
        }
        recommend_current(objective, x);
    }

private:
    void check_applicable(const sdk::Objective& objective) const {
        if (!s_.finite_differences && !objective.has_gradient())
            throw sdk::NotApplicable(
                "adam needs the problem's gradient and this problem has none; gradient=fd "
                "uses forward differences instead");
        const std::string preset_note = s_.sklearn_preset ? " (preset=sklearn sets it)" : "";
        if (s_.batch > 0 && !objective.is_finite_sum())
            throw sdk::NotApplicable("batch=" + std::to_string(s_.batch) + preset_note +
                                     " needs a finite-sum problem for minibatches and this "
                                     "problem is not one; use batch=0");
        if (s_.weight_decay > 0 && s_.decay_per_sample && !objective.is_finite_sum())
            throw sdk::NotApplicable("decay_scaling=batch" + preset_note +
                                     " divides by the batch's sample count and needs a "
                                     "finite-sum problem; this problem is not one");
    }

    std::vector<double> start_point(const sdk::Objective& objective, const Box& box) const {
        const std::size_t n = objective.dimension();
        if (!s_.x0.empty()) {
            if (s_.x0.size() != 1 && s_.x0.size() != n)
                throw std::invalid_argument("parameter 'x0' has " + std::to_string(s_.x0.size()) +
                                            " values; the problem has " + std::to_string(n) +
                                            " variables (give 1 or " + std::to_string(n) + ")");
            std::vector<double> x(n);
            for (std::size_t i = 0; i < n; ++i) {
                x[i] = s_.x0.size() == 1 ? s_.x0[0] : s_.x0[i];
                if (!(x[i] >= box.lower[i] && x[i] <= box.upper[i]))
                    throw std::invalid_argument("parameter 'x0': coordinate " + std::to_string(i) +
                                                " = " + sdk::detail::format_number(x[i]) +
                                                " is outside the bounds [" +
                                                sdk::detail::format_number(box.lower[i]) + ", " +
                                                sdk::detail::format_number(box.upper[i]) + "]");
            }
            return x;
        }
        const auto initial = objective.initial_point();
        if (!initial.empty()) return {initial.begin(), initial.end()};
        std::vector<double> x(n);
        for (std::size_t i = 0; i < n; ++i) {
            const double low = box.lower[i], high = box.upper[i];
            x[i] = std::isfinite(low) && std::isfinite(high) ? low / 2 + high / 2
                                                             : std::clamp(0.0, low, high);
        }
        return x;
    }

    // One epoch is one pass over the samples in minibatch mode, one step in full-batch mode.
    void minimize(sdk::Objective& objective, const Box& box, std::vector<double>& x,
                  std::uint64_t seed) {
        const std::size_t n = x.size();
        const bool minibatch = s_.batch > 0;
        const std::size_t samples = objective.num_samples();
        std::vector<std::size_t> order(minibatch ? samples : 0);
        std::iota(order.begin(), order.end(), std::size_t{0});
        // Fixed slices of `order`, whose content is reshuffled each epoch; the last may be
        // shorter, as in scikit-learn. Full-batch mode has one empty slice: all samples.
        std::vector<std::span<const std::size_t>> batches;
        if (minibatch) {
            const std::size_t b = std::min(s_.batch, samples);
            for (std::size_t first = 0; first < samples; first += b)
                batches.push_back(std::span<const std::size_t>(order).subspan(
                    first, std::min(b, samples - first)));
        } else {
            batches.emplace_back();
        }
        const std::span<const double> mask = objective.decay_mask();
        const auto full_count = static_cast<double>(std::max<std::size_t>(samples, 1));

        adam::Update update(n, s_.coefficients);
        sdk::Rng rng(seed);
        StallCounter stall(s_.tol, s_.patience);
        LogSpacedSteps report_steps;
        std::vector<double> gradient(n);
        bool skipped_last_step = false;
        for (std::int64_t epoch = 1;; ++epoch) {
            if (minibatch) rng.shuffle(order);
            double weighted_loss = 0, weight = 0, step_norms = 0, gradient_norms = 0;
            std::size_t steps = 0;
            for (const auto batch : batches) {
                const double count = batch.empty() ? full_count : static_cast<double>(batch.size());
                double loss = loss_and_gradient(objective, box, x, batch, gradient);
                if (batch.empty()) current_scored_ = true;
                loss += add_weight_decay(x, mask, s_.decay_per_sample ? count : 1.0, gradient);
                weighted_loss += count * loss;
                weight += count;
                // A non-finite gradient would poison both moments for good: skip the step. A
                // full-batch step skipped twice in a row met the same point twice; on a
                // deterministic problem every later step would too, to the end of the budget.
                if (!all_finite(gradient)) {
                    if (!minibatch && skipped_last_step) {
                        objective.set_stop_reason("non_finite_gradient");
                        return;
                    }
                    skipped_last_step = true;
                    continue;
                }
                skipped_last_step = false;
                gradient_norms += norm(gradient);
                step_norms += update.step(x, gradient);
                box.project(x);
                current_scored_ = false;
                ++steps;
            }
            const double epoch_loss = weighted_loss / weight;
            if (minibatch) recommend_current(objective, x);
            if (steps > 0 && (minibatch || report_steps.due(update.steps()))) {
                if (minibatch) objective.report("epoch_loss", epoch_loss);
                objective.report("step_norm", step_norms / static_cast<double>(steps));
                objective.report("grad_norm", gradient_norms / static_cast<double>(steps));
            }
            if (stall.stalled_after(epoch_loss)) {
                objective.set_stop_reason("no_improvement");
                return;
            }
            if (s_.max_epochs > 0 && epoch >= s_.max_epochs) {
                objective.set_stop_reason("max_epochs");
                return;
            }
        }
    }

    // The objective's value and gradient at x: of the whole problem when batch is empty,
    // else the mean over the batch's samples.
    double loss_and_gradient(sdk::Objective& objective, const Box& box, std::span<const double> x,
                             std::span<const std::size_t> batch, std::span<double> gradient) const {
        if (!s_.finite_differences)
            return batch.empty() ? objective.evaluate_with_gradient(x, gradient)
                                 : objective.evaluate_subset(x, batch, gradient);
        const auto value = [&](std::span<const double> point) {
            return batch.empty() ? objective.evaluate(point)
                                 : objective.evaluate_subset(point, batch);
        };
        const double fx = value(x);
        finite_difference_gradient(value, x, fx, box, gradient);
        return fx;
    }

    // Adds the L2 term's gradient lambda * x (on the mask) and returns its value
    // 0.5 * lambda * |x|^2, with lambda = weight_decay / divisor.
    double add_weight_decay(std::span<const double> x, std::span<const double> mask, double divisor,
                            std::span<double> gradient) const {
        if (s_.weight_decay == 0) return 0;
        const double lambda = s_.weight_decay / divisor;
        double squared = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double weighted = mask.empty() ? x[i] : mask[i] * x[i];
            gradient[i] += lambda * weighted;
            squared += weighted * x[i];
        }
        return 0.5 * lambda * squared;
    }

    // The host scores the iterate for free (budget rule 4): subset means are not objective
    // values, and the last step's point is never evaluated otherwise.
    void recommend_current(sdk::Objective& objective, std::span<const double> x) {
        if (current_scored_) return;
        objective.recommend(x);
        current_scored_ = true;
    }

    Settings s_;
    bool current_scored_ = false;
};

}  // namespace

OPTBENCH_PLUGIN("adam", "1.1.0", Adam)
