// bench/run.sh's driver for the sacct figure: slurm::parse_sacct (what every refresh runs on
// sacct's answer) over FILE, ROUNDS times in this process; prints the fastest and the median
// round in milliseconds and the number of rows read.
//   sacct_parse FILE [ROUNDS=20]      prints: rows=N min_ms=X median_ms=Y
#include "seedrun/slurm/sacct.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: sacct_parse FILE [ROUNDS]\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  int rounds = argc > 2 ? std::atoi(argv[2]) : 20;
  std::vector<double> ms;
  size_t rows = 0;
  for (int i = 0; i < rounds; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto parsed = seedrun::slurm::parse_sacct(text);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    rows = parsed.rows.size();
    if (parsed.unreadable_lines != 0) {
      std::fprintf(stderr, "sacct_parse: %d unreadable line(s): %s\n", static_cast<int>(parsed.unreadable_lines),
                   parsed.first_unreadable.c_str());
      return 1;
    }
  }
  std::sort(ms.begin(), ms.end());
  std::printf("rows=%zu min_ms=%.3f median_ms=%.3f\n", rows, ms.front(), ms[ms.size() / 2]);
  return rows > 0 ? 0 : 1;
}
