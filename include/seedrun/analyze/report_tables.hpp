#pragma once
// The tables of the analysis report, each built from the input and the analysis only; the same
// Table is printed in report.md and written to tables/<id>.csv and tables/<id>.tex.
#include "seedrun/analyze/analysis.hpp"
#include "seedrun/render/table.hpp"

#include <optional>

namespace seedrun::analyze {

// id fine_tuning: Run, Arm (when arms group several runs), one column per parameter, Seed (when
// runs have seeds), Status, Final <loss>, Train time (min), Converged. Control runs are left out.
render::Table fine_tuning_table(const AnalysisInput& in, const Analysis& a);
// id evaluation: Run, Task, Epoch, Accuracy, Bal. acc, F1, Samples, Notes; nullopt without evals.
std::optional<render::Table> evaluation_table(const AnalysisInput& in);
// id ranking: Rank, Arm, n, Mean, Std, 95% CI low/high, Train time (min).
render::Table ranking_table(const AnalysisInput& in, const Analysis& a);
// id statistics: Metric, Group, n, Mean, Std, Min, Max, 95% CI low/high.
render::Table statistics_table(const Analysis& a);
// id pairwise: Better, Worse, Δ mean, bootstrap 95% CI, Welch t, df, p, p (Holm), P(better wins);
// nullopt without pairs.
std::optional<render::Table> pairwise_table(const AnalysisInput& in, const Analysis& a);
// id parameters: Parameter, Level, Arms, Mean, Spread; nullopt when no parameter varies.
std::optional<render::Table> parameters_table(const AnalysisInput& in, const Analysis& a);
// id cost_benefit: Arm, Mean <metric>, Mean train time (min), and for a higher-is-better metric
// <metric> per training minute; nullopt when no arm has a training time.
std::optional<render::Table> cost_table(const AnalysisInput& in, const Analysis& a);

} // namespace seedrun::analyze
