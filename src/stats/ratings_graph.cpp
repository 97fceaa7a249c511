// Which players have a finite maximum-likelihood rating: the strongly connected component of
// the "scored against" graph that holds the anchors (Zermelo 1929, Ford 1957).
#include "seedrun/stats/ratings_detail.hpp"

#include <algorithm>
#include <deque>
#include <utility>

namespace seedrun::stats::detail {
namespace {

using Adjacency = std::vector<std::vector<int>>;

// Tarjan's algorithm without recursion (a long chain of players must not exhaust the stack).
// Returns the component id of each node; nodes not in `active` keep -1.
std::vector<int> strong_components(const Adjacency& out, const std::vector<char>& active) {
  const size_t n = out.size();
  std::vector<int> index(n, -1);
  std::vector<int> low(n, 0);
  std::vector<int> comp(n, -1);
  std::vector<char> on_stack(n, 0);
  std::vector<int> stack;
  std::vector<std::pair<int, size_t>> calls; // node, next edge to look at
  int counter = 0;
  int components = 0;
  for (size_t root = 0; root < n; ++root) {
    if (!active[root] || index[root] >= 0) {
      continue;
    }
    calls.emplace_back(static_cast<int>(root), 0);
    while (!calls.empty()) {
      auto& [v, next] = calls.back();
      auto vs = static_cast<size_t>(v);
      if (next == 0 && index[vs] < 0) {
        index[vs] = low[vs] = counter++;
        stack.push_back(v);
        on_stack[vs] = 1;
      }
      if (next < out[vs].size()) {
        int w = out[vs][next++];
        auto ws = static_cast<size_t>(w);
        if (index[ws] < 0) {
          calls.emplace_back(w, 0);
        } else if (on_stack[ws]) {
          low[vs] = std::min(low[vs], index[ws]);
        }
        continue;
      }
      if (low[vs] == index[vs]) {
        int w = -1;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[static_cast<size_t>(w)] = 0;
          comp[static_cast<size_t>(w)] = components;
        } while (w != v);
        ++components;
      }
      int finished = v;
      calls.pop_back();
      if (!calls.empty()) {
        auto parent = static_cast<size_t>(calls.back().first);
        low[parent] = std::min(low[parent], low[static_cast<size_t>(finished)]);
      }
    }
  }
  return comp;
}

// Nodes reachable from the nodes of component `core` along `edges`.
std::vector<char> reachable(const Adjacency& edges, const std::vector<int>& comp, int core) {
  std::vector<char> seen(edges.size(), 0);
  std::deque<int> queue;
  for (size_t v = 0; v < edges.size(); ++v) {
    if (comp[v] == core) {
      seen[v] = 1;
      queue.push_back(static_cast<int>(v));
    }
  }
  while (!queue.empty()) {
    int v = queue.front();
    queue.pop_front();
    for (int w : edges[static_cast<size_t>(v)]) {
      if (!seen[static_cast<size_t>(w)]) {
        seen[static_cast<size_t>(w)] = 1;
        queue.push_back(w);
      }
    }
  }
  return seen;
}

} // namespace

std::vector<RatingStatus> classify(size_t n_players, const std::vector<PairResult>& pairs,
                                   const std::vector<PlayerRating>& counts, const std::vector<int>& pinned) {
  std::vector<int> node(n_players);
  for (size_t p = 0; p < n_players; ++p) {
    node[p] = static_cast<int>(p);
  }
  for (int p : pinned) {
    node[static_cast<size_t>(p)] = pinned.front();
  }
  Adjacency out(n_players);
  Adjacency in(n_players);
  std::vector<char> active(n_players, 0);
  for (const auto& pr : pairs) {
    int a = node[static_cast<size_t>(pr.i)];
    int b = node[static_cast<size_t>(pr.j)];
    active[static_cast<size_t>(a)] = active[static_cast<size_t>(b)] = 1;
    if (a == b) {
      continue;
    }
    if (pr.score_i > 0) { // i scored against j
      out[static_cast<size_t>(a)].push_back(b);
      in[static_cast<size_t>(b)].push_back(a);
    }
    if (pr.score_i < pr.games) {
      out[static_cast<size_t>(b)].push_back(a);
      in[static_cast<size_t>(a)].push_back(b);
    }
  }
  auto comp = strong_components(out, active);
  int core = -1;
  if (!pinned.empty()) {
    core = comp[static_cast<size_t>(pinned.front())];
  } else {
    std::vector<size_t> size(n_players, 0);
    for (size_t p = 0; p < n_players; ++p) {
      int c = comp[static_cast<size_t>(node[p])];
      size[static_cast<size_t>(std::max(c, 0))] += c >= 0 ? 1 : 0;
    }
    size_t best = 0;
    for (size_t p = 0; p < n_players; ++p) { // ties: the component of the lowest player index
      int c = comp[static_cast<size_t>(node[p])];
      if (c >= 0 && size[static_cast<size_t>(c)] > best) {
        best = size[static_cast<size_t>(c)];
        core = c;
      }
    }
  }
  auto below = reachable(out, comp, core);
  auto above = reachable(in, comp, core);
  std::vector<RatingStatus> status(n_players, RatingStatus::absent);
  for (size_t p = 0; p < n_players; ++p) {
    auto v = static_cast<size_t>(node[p]);
    if (counts[p].games == 0 || comp[v] < 0) {
      continue;
    }
    if (comp[v] == core) {
      status[p] = RatingStatus::rated;
    } else if (below[v]) {
      status[p] = RatingStatus::below;
    } else if (above[v]) {
      status[p] = RatingStatus::above;
    } else {
      status[p] = RatingStatus::unconnected;
    }
  }
  return status;
}

} // namespace seedrun::stats::detail
