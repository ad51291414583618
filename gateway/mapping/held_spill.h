// HeldSpill keeps the mapper's held sets on disk once they outgrow memory. X12InboundMapper holds
// every set of an interchange until the interchange is judged at its IEA (a rejected group or
// interchange delivers none of its sets), and one interchange may be a whole 1 GB file, whose
// events are nearly four times its size. Past a limit the sets held so far are appended, in
// order, to an unlinked temporary file (in $TMPDIR, else /tmp) and read back at delivery, so
// memory stays at the limit whatever the interchange's size. The file vanishes with the
// process, so a crash leaves nothing behind (the daemon maps the file again anyway).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gateway/mapping/inbound.h"

namespace gateway::mapping {

// One held set as the mapper delivers it: mapped (event, key, explanation) or rejected.
struct SpilledSet {
  bool rejected = false;
  bool handed_to_mapping = false;  // a later group or interchange verdict applies to it
  int32_t verdict = -1;            // the mapper's verdict index when spilled, or -1
  std::string type;                // canonical type of a mapped set
  std::string set_id, control, group;
  SetOrigin origin;                // mapped: the set's; rejected: the rejection's
  std::string event, key, explain;
  std::string what;                // rejected
  std::vector<std::string> errors;
};

class HeldSpill {
 public:
  HeldSpill() = default;
  ~HeldSpill();
  HeldSpill(const HeldSpill&) = delete;
  HeldSpill& operator=(const HeldSpill&) = delete;

  // A batch of records, in delivery order: Add each, then Commit. Commit returns false on an
  // I/O error (no temporary file, disk full); the batch is then dropped from the file and the
  // caller keeps those sets in memory.
  void Add(const SpilledSet& r);
  bool Commit(size_t records);

  size_t size() const { return records_; }
  // Reads every record back in order, then empties the file. False on a read error.
  bool Drain(const std::function<void(SpilledSet&)>& each);

 private:
  void Flush();  // buf_ to the file (opened at the first write)

  int fd_ = -1;
  bool failed_ = false;  // a write of this batch failed (or, set in Commit, the file is unusable)
  uint64_t bytes_ = 0;   // committed
  uint64_t written_ = 0;
  size_t records_ = 0;
  std::string buf_;      // records not yet written, up to about 1 MiB
};

}  // namespace gateway::mapping
