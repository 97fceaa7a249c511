#pragma once
// The statistics of the seedrun method (docs/method-stats.md) as pure functions without I/O.
// This header includes the whole component; include a single header where that is enough.
// Every value that can be undefined (σ with n < 2, d with σ_pooled = 0, ...) is a
// std::optional: callers print a word and write JSON null, never NaN.
#include "seedrun/stats/assessment.hpp"
#include "seedrun/stats/bootstrap.hpp"
#include "seedrun/stats/compare.hpp"
#include "seedrun/stats/describe.hpp"
#include "seedrun/stats/distributions.hpp"
#include "seedrun/stats/effect.hpp"
#include "seedrun/stats/hypothesis.hpp"
#include "seedrun/stats/power.hpp"
#include "seedrun/stats/special_functions.hpp"
#include "seedrun/stats/verdict.hpp"
