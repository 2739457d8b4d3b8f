#include "common/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace unspin {
namespace {

TEST(ParallelFor, EveryIndexOnceWithValidWorkers) {
  for (unsigned threads : {1u, 2u, 4u, 0u}) {
    std::vector<int> hits(1000, 0);
    std::vector<int> bad_worker(1000, 0);
    const unsigned n = resolve_threads(threads);
    parallel_for(hits.size(), threads, [&](unsigned worker, std::size_t i) {
      ++hits[i];
      bad_worker[i] = worker >= n;
    });
    for (std::size_t i = 0; i < hits.size(); ++i) {
      ASSERT_EQ(hits[i], 1) << i;
      ASSERT_EQ(bad_worker[i], 0) << i;
    }
  }
  parallel_for(0, 4, [](unsigned, std::size_t) { FAIL() << "called for no items"; });
}

TEST(ParallelFor, RethrowsTheException) {
  EXPECT_THROW(parallel_for(100, 3,
                            [](unsigned, std::size_t i) {
                              if (i == 37) throw std::runtime_error("boom");
                            }),
               std::runtime_error);
}

// Items of uneven cost finish out of order; consume() must still see them in
// input order, and never more than max_items in flight.
TEST(OrderedParallel, InputOrderAndBoundedInFlight) {
  for (unsigned threads : {1u, 2u, 4u}) {
    int next = 0, max_seen = 0;
    std::atomic<int> produced{0}, consumed{0};
    std::vector<int> order;
    ordered_parallel<int, std::string>(
        threads, 5, 1000,
        [&]() -> std::optional<int> {
          if (next == 200) return std::nullopt;
          ++produced;
          max_seen = std::max(max_seen, produced - consumed);  // races only upward: an upper bound
          return next++;
        },
        [](const int&) -> std::size_t { return 1; },
        [](unsigned, int& i) {
          if (i % 7 == 0) std::this_thread::sleep_for(std::chrono::microseconds(300));
          return std::to_string(i);
        },
        [&](std::string& s) {
          order.push_back(std::stoi(s));
          ++consumed;
        });
    ASSERT_EQ(order.size(), 200u);
    for (int i = 0; i < 200; ++i) ASSERT_EQ(order[i], i);
    // 5 admitted + the one produce() has just returned.
    EXPECT_LE(max_seen, 6) << threads;
  }
}

TEST(OrderedParallel, WeightBoundAdmitsAHeavyItemAlone) {
  int next = 0, in_flight = 0, max_in_flight = 0;
  std::mutex m;
  std::vector<int> order;
  ordered_parallel<int, int>(
      2, 100, 10, [&]() -> std::optional<int> { return next < 20 ? std::optional<int>(next++) : std::nullopt; },
      [](const int&) -> std::size_t { return 25; },  // each heavier than the bound
      [&](unsigned, int& i) {
        {
          std::lock_guard<std::mutex> lock(m);
          max_in_flight = std::max(max_in_flight, ++in_flight);
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        std::lock_guard<std::mutex> lock(m);
        --in_flight;
        return i;
      },
      [&](int& i) { order.push_back(i); });
  EXPECT_EQ(max_in_flight, 1);
  ASSERT_EQ(order.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(order[i], i);
}

TEST(OrderedParallel, WorkExceptionReachesTheCaller) {
  int next = 0;
  std::vector<int> seen;
  EXPECT_THROW(
      (ordered_parallel<int, int>(
          2, 4, 100, [&]() -> std::optional<int> { return next < 50 ? std::optional<int>(next++) : std::nullopt; },
          [](const int&) -> std::size_t { return 1; },
          [](unsigned, int& i) {
            if (i == 10) throw std::runtime_error("bad item");
            return i;
          },
          [&](int& i) { seen.push_back(i); })),
      std::runtime_error);
  ASSERT_EQ(seen.size(), 10u);  // items before the failing one, in order
  for (int i = 0; i < 10; ++i) EXPECT_EQ(seen[i], i);
}

}  // namespace
}  // namespace unspin
