// Parallel loops for the batch paths (Restorer::run_many, the CLI's --threads,
// the Python module's check_many). Results never depend on the number of
// threads: work items are independent and results are delivered by index or
// in input order.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace unspin {

// 0 -> the number of cores (at least 1).
inline unsigned resolve_threads(unsigned threads) {
  if (threads > 0) return threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

// Calls fn(worker, i) for every i in [0, count) on min(threads, count)
// threads (the calling thread is worker 0); worker indexes are in
// [0, threads) and one worker runs one call at a time, so per-worker state
// indexed by `worker` needs no lock. Items are handed out in index order. The
// first exception thrown by fn stops the handing out and is rethrown here
// once every thread has finished.
inline void parallel_for(std::size_t count, unsigned threads,
                         const std::function<void(unsigned worker, std::size_t i)>& fn) {
  threads = static_cast<unsigned>(std::min<std::size_t>(resolve_threads(threads), std::max<std::size_t>(count, 1)));
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto run = [&](unsigned worker) {
    for (std::size_t i; !failed.load() && (i = next.fetch_add(1)) < count;) {
      try {
        fn(worker, i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(run, t);
  run(0);
  for (std::thread& th : pool) th.join();
  if (error) std::rethrow_exception(error);
}

// A streaming ordered map: produce() -> work() on `threads` workers ->
// consume() on the calling thread, in the order produce() returned the
// items. Memory stays bounded: at most `max_items` items, of total
// weight(item) at most `max_weight`, are in flight (produced and not yet
// consumed), plus the one item produce() has returned and waits to admit; an
// item heavier than max_weight alone is admitted when nothing else is in
// flight. produce() runs on its own thread (it may block on input) and
// returns nullopt at the end. With threads <= 1 everything runs on the
// calling thread, one item at a time.
// Exceptions: work()'s are rethrown at that item's turn to consume; then, as
// for consume()'s and produce()'s, the pipeline stops (after produce()
// returns from its current call) and the exception propagates.
template <typename In, typename Out>
void ordered_parallel(unsigned threads, std::size_t max_items, std::size_t max_weight,
                      const std::function<std::optional<In>()>& produce,
                      const std::function<std::size_t(const In&)>& weight,
                      const std::function<Out(unsigned worker, In& item)>& work,
                      const std::function<void(Out& out)>& consume) {
  threads = resolve_threads(threads);
  if (threads <= 1) {
    while (std::optional<In> item = produce()) {
      Out out = work(0, *item);
      consume(out);
    }
    return;
  }
  max_items = std::max<std::size_t>(max_items, 1);
  struct Queued {
    std::size_t seq;
    In item;
    std::size_t weight;
  };
  struct Done {
    std::optional<Out> out;
    std::exception_ptr error;
    std::size_t weight = 0;
  };
  std::mutex m;
  std::condition_variable cv;
  std::deque<Queued> queue;
  std::map<std::size_t, Done> done;
  std::size_t produced = 0, in_flight = 0, in_flight_weight = 0;
  bool eof = false, stop = false;
  std::exception_ptr produce_error;

  std::thread reader([&] {
    for (;;) {
      std::optional<In> item;
      try {
        item = produce();
      } catch (...) {
        std::lock_guard<std::mutex> lock(m);
        produce_error = std::current_exception();
        eof = true;
        cv.notify_all();
        return;
      }
      std::unique_lock<std::mutex> lock(m);
      if (!item) {
        eof = true;
        cv.notify_all();
        return;
      }
      const std::size_t w = weight(*item);
      cv.wait(lock,
              [&] { return stop || in_flight == 0 || (in_flight < max_items && in_flight_weight + w <= max_weight); });
      if (stop) return;
      queue.push_back({produced++, std::move(*item), w});
      ++in_flight;
      in_flight_weight += w;
      cv.notify_all();
    }
  });
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::unique_lock<std::mutex> lock(m);
      for (;;) {
        cv.wait(lock, [&] { return stop || !queue.empty() || eof; });
        if (stop || (queue.empty() && eof)) return;
        Queued q = std::move(queue.front());
        queue.pop_front();
        lock.unlock();
        Done d;
        d.weight = q.weight;
        try {
          d.out.emplace(work(t, q.item));
        } catch (...) {
          d.error = std::current_exception();
        }
        lock.lock();
        done.emplace(q.seq, std::move(d));
        cv.notify_all();
      }
    });
  }
  auto shut_down = [&] {
    {
      std::lock_guard<std::mutex> lock(m);
      stop = true;
      cv.notify_all();
    }
    reader.join();
    for (std::thread& w : workers) w.join();
  };
  std::size_t next = 0;
  try {
    for (;;) {
      std::unique_lock<std::mutex> lock(m);
      cv.wait(lock, [&] { return done.count(next) > 0 || (eof && next == produced); });
      auto it = done.find(next);
      if (it == done.end()) break;  // every item consumed
      Done d = std::move(it->second);
      done.erase(it);
      lock.unlock();
      ++next;
      if (d.error) std::rethrow_exception(d.error);
      consume(*d.out);
      lock.lock();
      --in_flight;
      in_flight_weight -= d.weight;
      cv.notify_all();
    }
  } catch (...) {
    shut_down();
    throw;
  }
  shut_down();
  if (produce_error) std::rethrow_exception(produce_error);
}

}  // namespace unspin
