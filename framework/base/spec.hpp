// Specs name an optimizer or problem with parameters: `name` or `name:key=value,key=value`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "optbench/sdk/params.hpp"

namespace optbench::host {

struct Spec {
    std::string name;
    sdk::Params::Given params;

    // "name" or "name:key=value,..." in the given order; parses back to the same Spec.
    std::string text() const;
    // "key=value,..." (empty without parameters).
    std::string params_text() const;
    bool operator==(const Spec&) const = default;
};

// The spec `name` with the parameters of `params_text` ("key=value,..." as Spec::params_text
// writes it; "" for none). Throws Error when the text is not one spec's parameters.
Spec make_spec(std::string_view name, std::string_view params_text);

// Splits a comma-separated list of specs. A token starts a new spec when it has no '=' or
// when the text before its first '=' contains ':'; otherwise it is a parameter of the spec
// before it. So "sphere:dim=10,rastrigin:dim=10" is two specs, "rastrigin:dim=10,bounds=-2:2"
// one. Throws Error naming the malformed token.
std::vector<Spec> parse_spec_list(std::string_view text);

// Expands value lists and integer ranges into one spec per combination, in order:
// "a|b|c" lists values, "LOW..HIGH" (integers) a range, e.g.
// "suite:function=1..24,instance=1..5,dim=2|5|10" is 24*5*3 specs. Throws Error for a range
// LOW > HIGH or of more than 1,000,000 values, and for more than 10,000,000 specs.
std::vector<Spec> expand(const Spec& spec);
// The number of specs expand(spec) gives, counted without building them (a double: the
// product of long ranges can exceed any integer type). Throws Error as expand() does for a range.
double expansion_size(const Spec& spec);
std::vector<Spec> expand_all(const std::vector<Spec>& specs);

}  // namespace optbench::host
