#include "seedrun/summarize/job_lookup.hpp"

#include <doctest/doctest.h>

using namespace seedrun::summarize;

TEST_CASE("job ids come from slurm-<jobid>.out file names only") {
  CHECK(job_id_from_file_name("slurm-2773062.out") == "2773062");
  CHECK(job_id_from_file_name("slurm-12_3.out") == "12_3");
  CHECK_FALSE(job_id_from_file_name("slurm-.out"));
  CHECK_FALSE(job_id_from_file_name("slurm-abc.out"));
  CHECK_FALSE(job_id_from_file_name("slurm-1_2_3.out"));
  CHECK_FALSE(job_id_from_file_name("slurm-_1.out"));
  CHECK_FALSE(job_id_from_file_name("slurm-1.err"));
  CHECK_FALSE(job_id_from_file_name("train-1.out"));
}

TEST_CASE("the epoch of an eval job is the trailing ep<N> of its name") {
  CHECK(epoch_from_job_name("eval-general_eval-lowlr-ep0") == 0);
  CHECK(epoch_from_job_name("eval-general_eval-lowlr-ep9") == 9);
  CHECK(epoch_from_job_name("eval-cap-r1-ep12") == 12);
  CHECK(epoch_from_job_name("eval_cap_epoch_3") == 3);
  CHECK(epoch_from_job_name("ep4") == 4);
  CHECK(epoch_from_job_name("capitalization_epoch-2") == 2);
  CHECK_FALSE(epoch_from_job_name("eval-cap-base_model"));
  CHECK_FALSE(epoch_from_job_name("eval-cap-step9"));
  CHECK_FALSE(epoch_from_job_name("eval-cap-r1-9"));
  CHECK_FALSE(epoch_from_job_name("deep9"));
  CHECK_FALSE(epoch_from_job_name(""));
}

TEST_CASE("NoJobLookup is always unavailable") {
  NoJobLookup lookup;
  CHECK_FALSE(lookup.lookup({"1", "2"}));
}
