// The transport model: a partner's folder (SFTP, or a local/mounted directory) seen as a
// RemoteDir. Pollers list it, pick stable files (inbound_selector.h), stream them into the spool,
// and only then move or remove them; outbound files are uploaded the same way in reverse.
//
// Three rules hold for every implementation:
//  - Uploads go to a temporary name in the target directory, are synced, size-checked, and then
//    renamed to the final name. The partner's poller therefore never sees a half-written file
//    under the final name, and a crash leaves only a temp file (".name.<random>.part").
//  - Nothing is ever overwritten (Write and Rename refuse an existing target with
//    kAlreadyExists): a file we have not read, or one already archived, is partner data that a
//    silent overwrite would lose, and a second upload under the same name is a duplicate to
//    surface, not to hide.
//  - A remote host is only trusted after its host key is verified (SftpRemoteDir): an unknown or
//    changed key refuses the connection, with no "accept new key" fallback, since the files are
//    orders and shipments that a man in the middle could read or forge.
//
// Paths are relative to the RemoteDir's root, '/'-separated; "" or "." is the root itself.
// Absolute paths and ".." are refused (kInvalidArgument). Errors are values (gateway/status.h),
// with the operation, host and path in the message. No method throws.
// A RemoteDir is not thread-safe: one poller owns one instance.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/status.h"
#include "gateway/transport/byte_stream.h"

namespace gateway::transport {

struct RemoteEntry {
  std::string name;        // the name inside its directory (no '/')
  std::uint64_t size = 0;  // bytes
  std::int64_t mtime = 0;  // seconds since the Unix epoch (SFTP v3 has whole seconds only)
  bool is_regular = false; // false for directories, symlinks, devices (never picked up)
};

class RemoteDir {
 public:
  virtual ~RemoteDir() = default;

  // "sftp://user@host:port/root" or "file:///root"; safe to log (no secrets).
  virtual std::string Describe() const = 0;

  // Opens the connection (SFTP: TCP, host key check, authentication). Reconnecting after an
  // error is the caller's decision: after kTimeout or kUnavailable the connection is closed and
  // every call returns kUnavailable until Connect succeeds again.
  virtual Status Connect() = 0;
  virtual void Close() = 0;
  virtual bool IsConnected() const = 0;
  // Sends a keep-alive if one is due, so an idle connection survives NAT and firewall timeouts.
  virtual Status KeepAlive() = 0;

  // The entries of `dir` except "." and "..", in no particular order.
  virtual Result<std::vector<RemoteEntry>> List(std::string_view dir) = 0;
  // The entry at `path` (not following a final symlink); kNotFound if there is none.
  virtual Result<RemoteEntry> Stat(std::string_view path) = 0;
  // Streams the file at `path` into `sink` in chunks; returns the number of bytes read.
  virtual Result<std::uint64_t> Read(std::string_view path, ByteSink& sink) = 0;
  // Uploads `source` to `path` via a temporary name in the same directory, syncs it, checks the
  // size on the remote side, and renames it to `path` without replacing anything. On success
  // returns the bytes written. On failure `path` is untouched (kAlreadyExists if it existed) and
  // the temporary file is removed as far as the connection allows.
  virtual Result<std::uint64_t> Write(std::string_view path, ByteSource& source) = 0;
  // Moves `from` to `to` (for example into an archive folder). kAlreadyExists if `to` exists.
  virtual Status Rename(std::string_view from, std::string_view to) = 0;
  // Removes the file at `path`.
  virtual Status Remove(std::string_view path) = 0;
  // Creates `dir` and its missing parents (mkdir -p); OK if it already exists as a directory.
  virtual Status MakeDirs(std::string_view dir) = 0;
};

}  // namespace gateway::transport
