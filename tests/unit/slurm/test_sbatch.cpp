#include "seedrun/slurm/sbatch.hpp"

#include <doctest/doctest.h>

using namespace seedrun::slurm;

TEST_CASE("sbatch --parsable prints the job id, optionally with the cluster") {
  auto plain = parse_sbatch_parsable("123\n");
  REQUIRE(plain.job_id);
  CHECK(*plain.job_id == "123");
  CHECK(plain.cluster.empty());
  CHECK(plain.error.empty());
  auto clustered = parse_sbatch_parsable("18;localcluster\n");
  REQUIRE(clustered.job_id);
  CHECK(*clustered.job_id == "18");
  CHECK(clustered.cluster == "localcluster");
  CHECK(parse_sbatch_parsable("  42 \r\n").job_id == "42");
}

TEST_CASE("anything but a job id is an error naming what sbatch printed") {
  auto empty = parse_sbatch_parsable("");
  CHECK_FALSE(empty.job_id);
  CHECK(empty.error == "sbatch printed no job id");
  auto verbose = parse_sbatch_parsable("Submitted batch job 123\n");
  CHECK_FALSE(verbose.job_id);
  CHECK(verbose.error == "sbatch printed 'Submitted batch job 123' where a job id was expected");
  CHECK_FALSE(parse_sbatch_parsable("123\n124\n").job_id);
  CHECK_FALSE(parse_sbatch_parsable("123;").job_id);
  CHECK_FALSE(parse_sbatch_parsable("12a").job_id);
  CHECK_FALSE(parse_sbatch_parsable(";cluster").job_id);
}
