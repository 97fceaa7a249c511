#pragma once
// The command line. main() parses argv into option structs (src/cli/app.cpp, the only file
// that includes CLI11), runs one subcommand handler, and turns seedrun::Error into
// "seedrun: error: ..." on stderr with the error's exit code (see ExitCode).
namespace seedrun::cli {

int main(int argc, char** argv);

} // namespace seedrun::cli
