#include "seedrun/cli/main.hpp"

int main(int argc, char** argv) {
  return seedrun::cli::main(argc, argv);
}
