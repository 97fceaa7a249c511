#!/usr/bin/env bash
# The local Slurm of scripts/slurm-local.sh runs real jobs and accounts for them: a throttled
# 3-task array completes, a job that exits 3 is FAILED 3:0, and sacct reports both under their
# real names (not the "allocation" placeholder) within 60 s. This test FAILS, never skips,
# when the cluster cannot be started: CI must not pass without a working Slurm.
set -uo pipefail

src=${SEEDRUN_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
poll_limit=${SLURM_TEST_POLL_SECONDS:-60}

fail() {
  echo "FAIL: $*" >&2
  if [[ -n ${last:-} ]]; then
    printf 'last sacct output:\n%s\n' "$last" >&2
  fi
  "$src/scripts/slurm-local.sh" status >&2 || true
  exit 1
}

if ! "$src/scripts/slurm-local.sh" start; then
  fail "scripts/slurm-local.sh start could not bring up the local Slurm (see its message above)"
fi

work=$(mktemp -d /tmp/seedrun-slurm-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || fail "cannot enter $work"

# shellcheck disable=SC2016 # $SLURM_ARRAY_TASK_ID is for the job's shell, not this one
array=$(sbatch --parsable --array=0-2%1 --wrap 'echo task $SLURM_ARRAY_TASK_ID') || fail "sbatch of the array failed"
failing=$(sbatch --parsable --wrap 'exit 3') || fail "sbatch of the failing job failed"
array=${array%%;*}
failing=${failing%%;*}
[[ $array =~ ^[0-9]+$ && $failing =~ ^[0-9]+$ ]] || fail "sbatch --parsable printed '$array' / '$failing'"
echo "submitted array $array and job $failing"

final_states='^(COMPLETED|FAILED|TIMEOUT|CANCELLED.*|OUT_OF_MEMORY|NODE_FAIL|PREEMPTED|BOOT_FAIL|DEADLINE)$'
wanted=("${array}_0" "${array}_1" "${array}_2" "$failing")

# state_of JOBID: "STATE|EXITCODE" of that row in $last when it is final and has its real name.
state_of() {
  local id name state code
  while IFS='|' read -r id name state code; do
    if [[ $id == "$1" && $name != allocation && $state =~ $final_states ]]; then
      echo "$state|$code"
      return 0
    fi
  done <<<"$last"
  return 1
}

all_final() {
  local id
  for id in "${wanted[@]}"; do
    state_of "$id" >/dev/null || return 1
  done
}

start=$SECONDS
last=""
until all_final; do
  if ((SECONDS - start >= poll_limit)); then
    fail "jobs not final with real names in sacct after ${poll_limit}s"
  fi
  sleep 1
  last=$(sacct -X --parsable2 --noheader --format=JobID,JobName,State,ExitCode -j "$array,$failing" 2>&1)
done
echo "all final after $((SECONDS - start)) s"
printf '%s\n' "$last"

status=0
for t in 0 1 2; do
  got=$(state_of "${array}_$t")
  if [[ $got != "COMPLETED|0:0" ]]; then
    echo "FAIL: array task ${array}_$t is '$got', expected COMPLETED|0:0" >&2
    status=1
  fi
  out="$work/slurm-${array}_$t.out"
  if [[ ! -f $out || $(cat "$out") != "task $t" ]]; then
    echo "FAIL: $out does not hold 'task $t'" >&2
    status=1
  fi
done
got=$(state_of "$failing")
if [[ $got != "FAILED|3:0" ]]; then
  echo "FAIL: job $failing is '$got', expected FAILED|3:0" >&2
  status=1
fi
((status == 0)) && echo "PASS: COMPLETED x3 and FAILED 3:0 in sacct"
exit $status
