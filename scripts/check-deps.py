#!/usr/bin/env python3
"""The build tells the truth (issue 15): every component's CMake link list equals what its files
include. For each `seedrun_component(NAME DEPS...)` in CMakeLists.txt, the seedrun components and
third-party libraries that src/NAME/*.cpp and include/seedrun/NAME/*.hpp include directly must be
exactly DEPS (no missing link, no link without an include). Also fails on an include cycle.
Prints the component graph with --graph. Exit 1 with one line per mismatch."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
# third-party header prefix -> the CMake target that provides it
THIRD_PARTY = {
    "yaml-cpp/": "yaml-cpp",
    "re2/": "${SEEDRUN_RE2_TARGET}",
    "sqlite3.h": "SQLite::SQLite3",
    "nlohmann/": "nlohmann_json::nlohmann_json",
    "zip.h": "${SEEDRUN_ZIP_TARGET}",
    "boost/process": "Boost::filesystem",  # Boost.Process is header-only; it needs Boost.Filesystem
    "CLI/": "CLI11::CLI11",
    "fmt/": "fmt::fmt",
    "spdlog/": "spdlog::spdlog",
    "google/protobuf/": "protobuf::libprotobuf",
}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)


def declared():
    text = (ROOT / "CMakeLists.txt").read_text()
    comps = {}
    for m in re.finditer(r"^seedrun_component\((\w+)([^)]*)\)", text, re.M):
        comps[m.group(1)] = set(m.group(2).split())
    return comps


def used(comp, names):
    files = list((ROOT / "src" / comp).glob("*.cpp")) + list((ROOT / "include" / "seedrun" / comp).glob("*.hpp"))
    deps = set()
    for f in files:
        for inc in INCLUDE.findall(f.read_text(errors="replace")):
            m = re.match(r"seedrun/(\w+)/", inc)
            if m and m.group(1) != comp:
                if m.group(1) not in names:
                    print(f"check-deps: {f.relative_to(ROOT)} includes {inc} of no component", file=sys.stderr)
                deps.add("seedrun_" + m.group(1))
            for prefix, target in THIRD_PARTY.items():
                if inc.startswith(prefix):
                    deps.add(target)
    return deps


def main_check_only():
    saved = sys.argv
    sys.argv = [saved[0]]
    try:
        return main()
    finally:
        sys.argv = saved


def main():
    comps = declared()
    names = set(comps)
    problems = []
    graph = {}
    for comp, listed in sorted(comps.items()):
        inc = used(comp, names)
        graph[comp] = sorted(d[len("seedrun_"):] for d in inc if d.startswith("seedrun_"))
        for d in sorted(inc - listed):
            problems.append(f"seedrun_{comp}: includes from {d} but does not link it")
        for d in sorted(listed - inc):
            problems.append(f"seedrun_{comp}: links {d} but includes nothing of it")
    # cycles
    state = {}

    def visit(n, path):
        if state.get(n) == 1:
            problems.append("include cycle: " + " -> ".join(path + [n]))
            return
        if state.get(n) == 2:
            return
        state[n] = 1
        for d in graph.get(n, []):
            visit(d, path + [n])
        state[n] = 2

    for n in graph:
        visit(n, [])
    if "--fix" in sys.argv:  # rewrite each link list to what the component includes
        text = (ROOT / "CMakeLists.txt").read_text()
        order = list(comps)
        for comp in comps:
            inc = used(comp, names)
            ours = sorted((d for d in inc if d.startswith("seedrun_")), key=lambda d: -order.index(d[8:]))
            theirs = sorted(d for d in inc if not d.startswith("seedrun_"))
            line = " ".join([comp] + ours + theirs)
            text = re.sub(rf"^seedrun_component\({comp}\b[^)]*\)", f"seedrun_component({line})", text, flags=re.M)
        (ROOT / "CMakeLists.txt").write_text(text)
        return main_check_only()
    if "--graph" in sys.argv:
        for n, ds in graph.items():
            print(f"{n} -> {', '.join(ds) or '(nothing)'}")
    for p in problems:
        print("check-deps: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
