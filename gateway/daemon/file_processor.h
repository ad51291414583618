// The parse stage: a spooled file (received) becomes its transaction sets. One pass over the
// stored bytes validates every interchange (edi/), maps each accepted set with the partner's
// mapping, records each interchange for duplicate detection, and builds the 997/TA1 answer.
// Accepted sets are spooled mapped (due for the OMS), rejected ones quarantined with the
// reasons, the 997 queued for upload; a 997 from the partner also moves our 940s, and a 945
// closes the order it ships. Sets are spooled per interchange, after its IEA verdict, in
// batches keyed by their position in the file: processing a file again (after a crash, or an
// operator's reprocess) finds the sets already there and adds nothing twice.
#pragma once

#include "gateway/daemon/pipeline.h"

namespace gateway::daemon {

struct FileOutcome {
  std::size_t mapped = 0, quarantined = 0, duplicates = 0, acks = 0;
  bool not_x12 = false;
};

class FileProcessor {
 public:
  explicit FileProcessor(Pipeline& pipeline) : p_(pipeline) {}
  // Processes the leased file `id`; the file ends parsed or quarantined.
  Result<FileOutcome> Process(spool::ItemId id, std::int64_t lease_token);
  // Processes an already parsed file again to re-map the sets an operator sent back to
  // received (release of a quarantined set); the file's own state is left as it is.
  Result<FileOutcome> Rederive(spool::ItemId id);

 private:
  Result<FileOutcome> Run(spool::ItemId id, std::int64_t lease_token, bool rederive);

 public:

 private:
  Pipeline& p_;
};

// Applies what an inbound event says about our outbound orders: an order_acknowledgment moves
// the acknowledged 940s (acknowledged/rejected); a shipment_confirmation fulfils its order.
// Idempotent: applying the same event twice changes nothing the second time.
// With `shipments`, a shipment is collected there instead of applied (the caller applies a
// batch in one transaction: ApplyShipments).
void ApplyToOrders(Pipeline& p, const std::string& partner, std::string_view event_json,
                   std::vector<spool::ShipmentReport>* shipments = nullptr);
void ApplyShipments(Pipeline& p, const std::string& partner, const std::vector<spool::ShipmentReport>& shipments);

}  // namespace gateway::daemon
