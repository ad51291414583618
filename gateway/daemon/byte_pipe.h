// A bounded in-memory pipe between a producer that pushes bytes (RemoteDir::Read,
// Spool::ReadFile) and a consumer that pulls them (Spool::IngestFile, edi::Validate), so a
// gigabyte file streams from the partner into the spool, and from the spool into the parser,
// without ever being held whole in memory or staged in a second file. The producer runs on its
// own thread (Pump); an error on either side ends both with that error.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "gateway/status.h"

namespace gateway::daemon {

class BytePipe {
 public:
  explicit BytePipe(std::size_t capacity_bytes = 4 << 20) : capacity_(capacity_bytes) {}

  // Producer side. Blocks while the pipe is full; fails when the consumer gave up.
  Status Write(std::string_view data);
  // Ends the stream (`status` ok: a clean end of file; otherwise the consumer sees the error).
  void Close(Status status);

  // Consumer side: up to `n` bytes into `dst`; 0 at the end; an error if the producer failed.
  Result<std::size_t> Read(char* dst, std::size_t n);
  // The consumer stops early (its own error): unblocks and fails the producer.
  void Abandon(const std::string& why);

  std::uint64_t bytes_read() const { return read_total_; }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> chunks_;
  std::size_t front_offset_ = 0;
  std::size_t buffered_ = 0;
  std::size_t capacity_;
  bool closed_ = false;
  Status close_status_;
  bool abandoned_ = false;
  std::string abandon_reason_;
  std::uint64_t read_total_ = 0;
};

// Runs `produce` (which writes into the pipe) on a thread while the caller consumes; the
// destructor joins. The producer's final status closes the pipe.
class Pump {
 public:
  Pump(BytePipe& pipe, std::function<Status(BytePipe&)> produce);
  ~Pump();
  Pump(const Pump&) = delete;
  Pump& operator=(const Pump&) = delete;
  // Waits for the producer and returns its status.
  Status Join();

 private:
  BytePipe& pipe_;
  std::thread thread_;
  Status status_;
  bool joined_ = false;
};

}  // namespace gateway::daemon
