// A TCP connection with a deadline: the SSH layer needs a connected socket, and a partner host
// that drops SYNs must cost at most the connect timeout, not the kernel's minutes of retries.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "gateway/status.h"

namespace gateway::transport {

// Resolves `host` and connects to the first address that answers within `timeout` (shared by all
// addresses). Returns a connected, non-blocking, close-on-exec socket the caller must close.
// kUnavailable on refusal, unreachable or name errors; kTimeout when the time runs out.
// Name resolution itself (getaddrinfo) is not bounded by `timeout`.
Result<int> ConnectTcp(const std::string& host, std::uint16_t port,
                       std::chrono::milliseconds timeout);

}  // namespace gateway::transport
