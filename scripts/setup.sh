#!/usr/bin/env bash
# Installs everything seedrun needs to build, test and run its demo from Debian 12 packages.
# Idempotent: packages already present are not reinstalled. Works as root or through sudo.
set -euo pipefail

BUILD_PKGS=(
  build-essential cmake pkg-config ninja-build
  libboost1.74-dev libboost-filesystem1.74-dev
  libyaml-cpp-dev libfmt-dev libspdlog-dev libsqlite3-dev sqlite3
  doctest-dev libcli11-dev nlohmann-json3-dev
  libzip-dev zipcmp zipmerge ziptool zip ccache libre2-dev
  clang-14 libclang-rt-14-dev clang-format-14 clang-tidy-14
)
# The example trainer and the statistics references (numpy/scipy), SVG rendering for the plot tests.
RUNTIME_PKGS=(python3 python3-numpy python3-scipy librsvg2-bin)
# bench/run.sh (run by scripts/test.sh): /usr/bin/time for peak RSS, strace to count fsyncs.
RUNTIME_PKGS+=(time strace)

want=("${BUILD_PKGS[@]}" "${RUNTIME_PKGS[@]}")
if [[ "${SEEDRUN_WITH_SLURM:-0}" == 1 ]]; then
  want+=(slurmctld slurmd slurm-client slurmdbd munge mariadb-server)
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#want[@]} packages present"
  exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=(sudo)
fi

# Daemons must not be started by package postinst scripts (there is no systemd here, and the
# local Slurm script starts them itself); a temporary policy-rc.d says so when the image has none.
added_policy=0
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee /usr/sbin/policy-rc.d >/dev/null
  "${SUDO[@]}" chmod +x /usr/sbin/policy-rc.d
  added_policy=1
fi
trap '[[ $added_policy == 1 ]] && "${SUDO[@]}" rm -f /usr/sbin/policy-rc.d' EXIT

echo "setup: installing ${missing[*]}"
"${SUDO[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
