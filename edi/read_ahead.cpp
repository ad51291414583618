#include "edi/read_ahead.h"

#include <array>
#include <cstring>
#include <functional>
#include <string>
#include <system_error>

#include "edi/clean_check.h"

namespace edi {
namespace {

// The dictionary of the current group's version by tag, cached: the reading thread looks up
// every segment, and the registry's maps would cost a string per lookup.
class TagDefs {
 public:
  explicit TagDefs(const SchemaRegistry& schemas) : schemas_(schemas) {}

  // A GS names the version (GS08) of the segments up to its GE.
  void Select(std::string_view gs08) {
    version_ = std::string(gs08.substr(0, 6));
    slots_.fill(Slot{});
  }
  void Clear() { Select({}); }

  const SegmentDef* Find(std::string_view tag) {
    if (version_.empty()) return nullptr;
    const uint32_t key = detail::TagKey(tag);
    Slot& s = slots_[(key * 0x9E3779B1u) >> 24];
    if (s.key != key || s.key == detail::kLongTagKey) {
      s.key = key;
      s.def = schemas_.FindSegment(tag, version_);
    }
    return s.def;
  }

 private:
  struct Slot {
    uint32_t key = 0;  // detail::TagKey; 0 = empty (no tag has key 0)
    const SegmentDef* def = nullptr;
  };
  const SchemaRegistry& schemas_;
  std::string version_;
  std::array<Slot, 256> slots_{};  // roomy: a collision costs a registry lookup with strings
};

}  // namespace

void ReadAhead::Batch::Clear() {
  items.clear();
  bytes = 0;
  chunks.clear();
  delimiters.clear();
  current_delimiters = 0;
  errors.clear();
  notices.clear();
  last = false;
}

ReadAhead::ReadAhead(ByteSource& source, const ReaderOptions& options, const SchemaRegistry& schemas,
                     bool threaded)
    : threaded_(threaded), source_(source), options_(options), schemas_(schemas) {
  if (threaded_) {
    for (size_t i = 0; i < kBatches; ++i) {
      auto b = std::make_unique<Batch>();
      b->items.reserve(kBatchItems);
      empty_.push_back(std::move(b));
    }
    try {
      worker_ = std::thread([this] { Produce(); });
    } catch (const std::system_error&) {
      // No thread to be had (a process or container at its thread limit): the same results
      // on this thread alone; nothing in edi/ throws.
      threaded_ = false;
      empty_.clear();
    }
  }
  if (!threaded_) reader_ = std::make_unique<SegmentReader>(source_, options_);
}

ReadAhead::~ReadAhead() {
  if (!worker_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

std::unique_ptr<ReadAhead::Batch> ReadAhead::TakeEmpty() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return stop_ || !empty_.empty(); });
  if (stop_) return nullptr;
  std::unique_ptr<Batch> b = std::move(empty_.back());
  empty_.pop_back();
  return b;
}

void ReadAhead::Replace(std::vector<char>* buffer, size_t from, size_t to, size_t size) {
  Chunk* next = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!free_chunks_.empty()) {
      next = free_chunks_.back();
      free_chunks_.pop_back();
      next->lent = true;
    }
  }
  if (next == nullptr) {
    chunks_.push_back(std::make_unique<Chunk>());
    next = chunks_.back().get();
    next->lent = true;  // not shared yet: no batch points into it
  }
  if (next->bytes.size() < size) next->bytes = std::vector<char>(size);
  std::vector<char> fresh = std::move(next->bytes);
  if (to > from) std::memcpy(fresh.data(), buffer->data() + from, to - from);
  if (lent_ != nullptr) GiveBack(std::move(*buffer));
  *buffer = std::move(fresh);
  lent_ = next;
  lent_->begin = buffer->data();
  lent_->end = buffer->data() + buffer->size();
}

void ReadAhead::GiveBack(std::vector<char> buffer) {
  if (lent_ == nullptr) return;
  std::lock_guard<std::mutex> lock(mu_);
  lent_->bytes = std::move(buffer);
  lent_->lent = false;
  if (lent_->batches == 0) free_chunks_.push_back(lent_);
  lent_ = nullptr;
}

void ReadAhead::Hold(Batch& b) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++lent_->batches;
  }
  b.chunks.push_back(lent_);
}

void ReadAhead::MarkUnsettled(Batch& b, const SegmentReader& reader) const {
  // Items are in reading order, so those whose padding reaches into bytes the reader may
  // still write (unread input it may repair in place, or space not read into yet) are the
  // last ones, all in its current buffer. (A buffer given back is final.)
  if (lent_ == nullptr) return;
  const char* const final_end = reader.final_end();
  for (size_t i = b.items.size(); i-- > 0;) {
    Item& it = b.items[i];
    if (it.status != ReadStatus::kSegment) continue;
    const bool in_lent = std::less_equal<const char*>()(lent_->begin, it.data) &&
                         std::less<const char*>()(it.data, lent_->end);
    if (!in_lent || it.data + it.size + kSegmentPadding <= final_end) break;
    it.padded = false;
  }
}

size_t ReadAhead::Publish(std::unique_ptr<Batch> b) {
  size_t queued = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    filled_.push_back(std::move(b));
    queued = filled_.size();
  }
  cv_.notify_all();
  return queued;
}

void ReadAhead::Produce() {
  SegmentReader reader(source_, options_, this);
  CleanCheck check;
  TagDefs defs(schemas_);
  // The proofs are the reading thread's largest cost and optional (the validating thread
  // proves what was not), so they balance the two threads: each time the validating thread
  // has caught up with the batches (this thread is the slower), one more quarter of the
  // segments (up to half) is left to it; each time batches pile up, one quarter less.
  unsigned proved_of_four = 4;
  unsigned turn = 0;
  std::unique_ptr<Batch> b = TakeEmpty();
  while (b != nullptr) {
    Item& it = b->items.emplace_back();  // in place: items has room for kBatchItems
    it.status = reader.Next();
    if (it.status == ReadStatus::kSegment) {
      const Segment& s = reader.segment();
      it.starts_interchange = reader.starts_interchange();
      it.unterminated = reader.unterminated();
      it.offset = s.offset();
      // Delimiters change only with an interchange; each batch keeps its own copies.
      if (it.starts_interchange || b->delimiters.empty()) {
        b->current_delimiters = static_cast<uint32_t>(b->delimiters.size());
        b->delimiters.push_back(s.delimiters());
      }
      it.error_or_delimiters = b->current_delimiters;
      const std::string_view raw = s.raw();
      it.data = raw.data();
      it.size = static_cast<uint32_t>(raw.size());
      it.tag_size = static_cast<uint32_t>(s.tag().size());
      b->bytes += raw.size();
      if (b->chunks.empty() || b->chunks.back() != lent_) Hold(*b);  // a batch spans one or two buffers
      const std::string_view tag = s.tag();
      if (it.starts_interchange) {
        defs.Clear();
      } else if (tag == "GS") {
        defs.Select(s.element(8));
      } else if ((++turn & 3) < proved_of_four) {
        if (const SegmentDef* def = defs.Find(tag); def != nullptr && check.Holds(*def, s)) it.proved_clean = def;
      }
    } else if (it.status == ReadStatus::kError) {
      it.error_or_delimiters = static_cast<uint32_t>(b->errors.size());
      b->errors.push_back(reader.error());
    }
    if (reader.has_notices()) {
      for (Notice& n : reader.TakeNotices()) b->notices.push_back(std::move(n));
    }
    it.notices_end = static_cast<uint32_t>(b->notices.size());
    if (it.status == ReadStatus::kEnd) {
      b->last = true;
      MarkUnsettled(*b, reader);
      Publish(std::move(b));
      return;
    }
    if (b->items.size() >= kBatchItems || b->bytes >= kBatchBytes) {
      MarkUnsettled(*b, reader);
      const size_t queued = Publish(std::move(b));
      if (queued == 1 && proved_of_four > 2) --proved_of_four;  // the validating thread was waiting
      else if (queued >= kBatches - 1 && proved_of_four < 4) ++proved_of_four;  // it is behind
      b = TakeEmpty();
    }
  }
}

void ReadAhead::Advance() {
  std::unique_lock<std::mutex> lock(mu_);
  item_ = nullptr;
  if (batch_ != nullptr) {
    // Notices not taken yet stay for the next TakeNotices(), as with the reader.
    for (size_t i = notices_taken_; i < batch_->notices.size(); ++i) pending_.push_back(std::move(batch_->notices[i]));
    // Nothing reads this batch's segments any more: a buffer no batch points into (and that
    // the reader gave back) can be read into again.
    for (Chunk* c : batch_->chunks) {
      if (--c->batches == 0 && !c->lent) free_chunks_.push_back(c);
    }
    batch_->Clear();
    empty_.push_back(std::move(batch_));
    cv_.notify_all();
  }
  cv_.wait(lock, [this] { return !filled_.empty(); });
  batch_ = std::move(filled_.front());
  filled_.pop_front();
  index_ = 0;
  notices_taken_ = 0;
}

std::vector<Notice> ReadAhead::TakeNotices() {
  if (!threaded_) return reader_->TakeNotices();
  std::vector<Notice> out = std::move(pending_);
  pending_.clear();
  if (batch_ != nullptr) {
    const uint32_t end = item_ != nullptr ? item_->notices_end : 0;
    for (; notices_taken_ < end; ++notices_taken_) out.push_back(std::move(batch_->notices[notices_taken_]));
  }
  return out;
}

}  // namespace edi
