#include "gateway/daemon/byte_pipe.h"

#include <cstring>

namespace gateway::daemon {

Status BytePipe::Write(std::string_view data) {
  while (!data.empty()) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return abandoned_ || buffered_ < capacity_; });
    if (abandoned_) return Status(Code::kIoError, "the reader stopped: " + abandon_reason_);
    const std::size_t take = std::min(data.size(), std::max<std::size_t>(capacity_ - buffered_, 1));
    chunks_.emplace_back(data.substr(0, take));
    buffered_ += take;
    data.remove_prefix(take);
    cv_.notify_all();
  }
  return Status::Ok();
}

void BytePipe::Close(Status status) {
  std::lock_guard lock(mu_);
  if (closed_) return;
  closed_ = true;
  close_status_ = std::move(status);
  cv_.notify_all();
}

Result<std::size_t> BytePipe::Read(char* dst, std::size_t n) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !chunks_.empty() || closed_; });
  if (chunks_.empty()) {
    if (!close_status_.ok()) return close_status_;
    return std::size_t{0};
  }
  std::size_t copied = 0;
  while (copied < n && !chunks_.empty()) {
    std::string& front = chunks_.front();
    const std::size_t k = std::min(n - copied, front.size() - front_offset_);
    std::memcpy(dst + copied, front.data() + front_offset_, k);
    copied += k;
    front_offset_ += k;
    if (front_offset_ == front.size()) {
      chunks_.pop_front();
      front_offset_ = 0;
    }
  }
  buffered_ -= copied;
  read_total_ += copied;
  cv_.notify_all();
  return copied;
}

void BytePipe::Abandon(const std::string& why) {
  std::lock_guard lock(mu_);
  abandoned_ = true;
  abandon_reason_ = why;
  chunks_.clear();
  buffered_ = 0;
  cv_.notify_all();
}

Pump::Pump(BytePipe& pipe, std::function<Status(BytePipe&)> produce) : pipe_(pipe) {
  thread_ = std::thread([this, produce = std::move(produce)] {
    status_ = produce(pipe_);
    pipe_.Close(status_);
  });
}

Status Pump::Join() {
  if (!joined_) {
    thread_.join();
    joined_ = true;
  }
  return status_;
}

Pump::~Pump() {
  if (!joined_) {
    pipe_.Abandon("abandoned");
    thread_.join();
  }
}

}  // namespace gateway::daemon
