#include "edi/validator.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <vector>
#include <unordered_set>

#include "edi/element_check.h"
#include "edi/read_ahead.h"
#include "edi/set_validator.h"
#include "edi/text.h"

namespace edi {
namespace {

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

std::string Trim(std::string_view s) { return std::string(TrimView(s)); }

// Numeric comparison of control numbers ("3438" equals "000003438"); runs for every SE, GE
// and IEA, so it allocates nothing.
bool SameNumber(std::string_view a, std::string_view b) {
  std::string_view x = TrimView(a), y = TrimView(b);
  if (!AllDigits(x) || !AllDigits(y)) return x == y;
  auto strip = [](std::string_view s) {
    const size_t i = s.find_first_not_of('0');
    return i == std::string_view::npos ? std::string_view("0") : s.substr(i);
  };
  return strip(x) == strip(y);
}

std::string StripZeros(std::string_view s) {
  size_t i = s.find_first_not_of('0');
  return i == std::string_view::npos ? "0" : std::string(s.substr(i));
}

bool Contains(std::string_view list, std::string_view code) {
  for (size_t i = 0; i + code.size() <= list.size(); i += code.size() + 1) {
    if (list.substr(i, code.size()) == code) return true;
  }
  return false;
}

// Set ids the gateway reads without a schema: acknowledgments of its own outbound files.
bool IsAcknowledgmentSet(std::string_view id) { return id == "997" || id == "999"; }

// The ST02 values of a group, to find one used twice. Nearly all are a few digits ("0001"),
// kept as integers in a flat table: no allocation and no string hash per set, in groups of
// thousands of sets. Any other value goes to a set of strings; the two never hold the same
// string.
class ControlNumbers {
 public:
  void Clear() {
    if (used_ > 0) std::fill(slots_.begin(), slots_.end(), 0);
    used_ = 0;
    others_.clear();
  }
  // False when `control` is already there.
  bool Insert(std::string_view control) {
    const uint64_t key = Key(control);
    if (key == 0) return others_.insert(std::string(control)).second;
    if ((used_ + 1) * 2 > slots_.size()) Grow();
    uint64_t* slot = Find(key);
    if (*slot == key) return false;
    *slot = key;
    ++used_;
    return true;
  }

 private:
  // 1-15 digits as length and value (never 0); 0 for anything else.
  static uint64_t Key(std::string_view s) {
    if (s.empty() || s.size() > 15) return 0;
    uint64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return 0;
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    return uint64_t{s.size()} << 50 | v;  // 10^15 < 2^50
  }
  uint64_t* Find(uint64_t key) {  // the slot holding `key`, or the empty one where it goes
    const size_t mask = slots_.size() - 1;
    for (size_t h = (key * 0x9E3779B97F4A7C15u) >> 32 & mask;; h = (h + 1) & mask) {
      if (slots_[h] == key || slots_[h] == 0) return &slots_[h];
    }
  }
  void Grow() {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(std::max<size_t>(64, old.size() * 2), 0);
    for (uint64_t key : old) {
      if (key != 0) *Find(key) = key;
    }
  }

  std::vector<uint64_t> slots_;  // open addressing, a power of two, at most half full
  size_t used_ = 0;
  std::unordered_set<std::string> others_;
};

bool UseReadAhead(const ByteSource& source, const ValidationOptions& options) {
  const std::optional<uint64_t> size = source.SizeHint();
  return !size.has_value() || *size >= options.read_ahead_bytes;
}

class FileValidator {
 public:
  FileValidator(ByteSource& source, ValidationSink& sink, const ValidationOptions& options)
      : sink_(sink),
        options_(options),
        schemas_(options.schemas != nullptr ? *options.schemas : SchemaRegistry::Builtin()),
        reader_(source, options.reader, schemas_, UseReadAhead(source, options)),
        sets_(schemas_, SetValidatorOptions{options.max_errors_per_set}) {}

  FileSummary Run() {
    for (;;) {
      ReadStatus st = reader_.Next();
      TakeNotices();
      if (st == ReadStatus::kEnd) break;
      if (st == ReadStatus::kError) {
        OnReaderError(reader_.error());
        continue;
      }
      const Segment& seg = reader_.segment();
      if (reader_.starts_interchange()) {
        if (in_interchange_) CloseInterchange(nullptr, seg.offset());
        OpenInterchange(seg);
        TakeNotices();
        continue;
      }
      OnSegment(seg);
      if (reader_.unterminated() && in_interchange_) {
        Notice(seg.offset(), "the last segment (" + std::string(seg.tag()) + ") has no terminator");
      }
    }
    if (in_interchange_) CloseInterchange(nullptr, last_offset_);
    summary_.not_x12 = !reader_.saw_isa();
    if (summary_.not_x12) summary_.ok = false;
    return summary_;
  }

 private:
  // ---- errors ----
  void Notice(uint64_t offset, std::string message) {
    Error e;
    e.layer = Layer::kInterchange;
    e.offset = offset;
    e.warning = true;
    e.message = std::move(message);
    if (in_interchange_) {
      ix_.errors.push_back(std::move(e));
    } else {
      pending_notices_.push_back(std::move(e));
    }
  }
  void TakeNotices() {
    if (!reader_.has_notices()) return;  // the common case, checked for every segment
    for (edi::Notice& n : reader_.TakeNotices()) Notice(n.offset, std::move(n.message));
  }
  void InterchangeError(std::string code, uint64_t offset, std::string segment, int element,
                        std::string message) {
    Error e;
    e.layer = Layer::kInterchange;
    e.ta1_code = std::move(code);
    e.offset = offset;
    e.segment = std::move(segment);
    e.element = element;
    e.message = std::move(message);
    e.warning = Ta1StatusFor(e.ta1_code) != 'R';
    ix_.errors.push_back(std::move(e));
  }
  void GroupError(std::string code, uint64_t offset, std::string segment, int element,
                  std::string message, bool warning = false) {
    Error e;
    e.layer = Layer::kGroup;
    e.group_code = std::move(code);
    e.offset = offset;
    e.segment = std::move(segment);
    e.element = element;
    e.message = std::move(message);
    e.warning = warning;
    group_.errors.push_back(std::move(e));
  }
  void SetError(std::string code, uint64_t offset, std::string segment, uint32_t position,
                int element, std::string message, bool warning = false) {
    Error e;
    e.layer = Layer::kSet;
    e.set_code = std::move(code);
    e.offset = offset;
    e.segment = std::move(segment);
    e.segment_position = position;
    e.element = element;
    e.message = std::move(message);
    e.warning = warning;
    set_envelope_errors_.push_back(std::move(e));
  }

  void OnReaderError(const Error& e) {
    if (in_interchange_) {
      // The reader lost the interchange (an over-long segment): it ends here.
      ix_.errors.push_back(e);
      CloseInterchange(nullptr, e.offset);
    } else {
      sink_.OnFileError(e);
    }
    summary_.ok = false;
  }

  // ---- interchange ----
  void OpenInterchange(const Segment& isa) {
    in_interchange_ = true;
    ix_ = InterchangeResult{};
    for (Error& e : pending_notices_) ix_.errors.push_back(std::move(e));
    pending_notices_.clear();
    InterchangeInfo& info = ix_.info;
    info.index = interchange_index_++;
    info.offset = isa.offset();
    info.delimiters = isa.delimiters();
    info.sender_qualifier = Trim(isa[5]);
    info.sender_id = Trim(isa[6]);
    info.receiver_qualifier = Trim(isa[7]);
    info.receiver_id = Trim(isa[8]);
    info.date = std::string(isa[9]);
    info.time = std::string(isa[10]);
    info.version = Trim(isa[12]);
    info.control = Trim(isa[13]);
    info.ack_requested = Trim(isa[14]) == "1";
    info.usage = Trim(isa[15]);
    group_controls_.clear();
    in_group_ = false;
    in_set_ = false;
    ta1_seen_ = false;
    ++summary_.interchanges;
    CheckIsa(isa);
    const std::string key = info.sender() + "|" + info.control;
    auto [it, inserted] = isa_controls_.emplace(key, static_cast<long>(info.index));
    if (!inserted) {
      ix_.duplicate_of = it->second;
      InterchangeError("025", isa.offset(), "ISA", 13,
                       "duplicate interchange control number " + info.control + " from " +
                           info.sender() + " (interchange " + std::to_string(it->second + 1) +
                           " in this file has it too)");
    }
    sink_.OnInterchangeStart(info);
  }

  void CheckIsa(const Segment& isa) {
    const uint64_t at = isa.offset();
    if (isa.size() < 16) {
      InterchangeError("022", at, "ISA", 0,
                       "the ISA has " + std::to_string(isa.size()) + " elements, 16 expected");
      return;
    }
    auto check = [&](int element, bool ok, const char* code, const std::string& what) {
      if (!ok) {
        InterchangeError(code, at, "ISA", element,
                         "ISA" + std::string(element < 10 ? "0" : "") + std::to_string(element) +
                             " " + what + ": '" + std::string(isa[static_cast<size_t>(element)]) + "'");
      }
    };
    const std::string a1 = Trim(isa[1]), a3 = Trim(isa[3]);
    check(1, a1.size() == 2 && Contains("00,01,02,03,04,05,06", a1), "010",
          "is not a valid authorization information qualifier");
    check(3, a3 == "00" || a3 == "01", "012", "is not a valid security information qualifier");
    static constexpr std::string_view kQualifiers =
        "01,02,03,04,08,09,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,AM,NR,SN,ZZ";
    const std::string q5 = Trim(isa[5]), q7 = Trim(isa[7]);
    check(5, q5.size() == 2 && Contains(kQualifiers, q5), "005", "is not a valid interchange ID qualifier");
    check(6, !Trim(isa[6]).empty() && isa[6].size() <= 15, "006", "is not a valid sender ID");
    check(7, q7.size() == 2 && Contains(kQualifiers, q7), "007", "is not a valid interchange ID qualifier");
    check(8, !Trim(isa[8]).empty() && isa[8].size() <= 15, "008", "is not a valid receiver ID");
    check(9, isa[9].size() == 6 && IsValidDate(isa[9]), "014", "is not a valid date (YYMMDD)");
    check(10, isa[10].size() == 4 && IsValidTime(isa[10]), "015", "is not a valid time (HHMM)");
    const std::string version = Trim(isa[12]);
    check(12, version.size() == 5 && AllDigits(version) && version >= "00200" && version <= "00899",
          "017", "is not a supported interchange control version");
    const std::string control = Trim(isa[13]);
    check(13, AllDigits(control) && control.size() <= 9, "018",
          "is not a valid interchange control number (9 digits)");
    if (AllDigits(control) && control.size() < 9) {
      Notice(at, "ISA13 '" + control + "' is not 9 digits");
    }
    const std::string ack = Trim(isa[14]), usage = Trim(isa[15]);
    check(14, ack == "0" || ack == "1", "019", "is not a valid acknowledgment requested value");
    check(15, usage == "P" || usage == "T" || usage == "I", "020", "is not a valid usage indicator");
  }

  void CloseInterchange(const Segment* iea, uint64_t offset) {
    if (in_group_) CloseGroup(nullptr, offset);
    if (iea == nullptr) {
      ix_.trailer_present = false;
      InterchangeError("023", offset, "IEA", 0,
                       "the interchange " + ix_.info.control + " has no IEA (premature end of input)");
    } else {
      const std::string count = Trim((*iea)[1]);
      if (!AllDigits(count) || !SameNumber(count, std::to_string(ix_.group_count))) {
        InterchangeError("021", iea->offset(), "IEA", 1,
                         "IEA01 says " + count + " functional groups, counted " +
                             std::to_string(ix_.group_count));
      }
      if (!SameNumber((*iea)[2], ix_.info.control)) {
        InterchangeError("001", iea->offset(), "IEA", 2,
                         "IEA02 '" + Trim((*iea)[2]) + "' does not match ISA13 '" + ix_.info.control + "'");
      } else if (Trim((*iea)[2]) != ix_.info.control) {
        Notice(iea->offset(), "IEA02 '" + std::string((*iea)[2]) + "' is not written like ISA13 '" +
                                  ix_.info.control + "' (same number)");
      }
    }
    // TA105: the first rejecting code, else the first noted one.
    for (const Error& e : ix_.errors) {
      if (!e.ta1_code.empty() && Ta1StatusFor(e.ta1_code) == 'R') {
        ix_.ta1_code = e.ta1_code;
        break;
      }
    }
    if (ix_.ta1_code == "000") {
      for (const Error& e : ix_.errors) {
        if (!e.ta1_code.empty()) {
          ix_.ta1_code = e.ta1_code;
          break;
        }
      }
    }
    ix_.ta1_status = Ta1StatusFor(ix_.ta1_code);
    ix_.only_acknowledgments = (ix_.group_count == 0 && ta1_seen_) || (ix_.group_count > 0 && only_ack_groups_);
    if (ix_.ta1_status == 'R') summary_.ok = false;
    in_interchange_ = false;
    sink_.OnInterchangeEnd(ix_);
  }

  // ---- group ----
  void OpenGroup(const Segment& gs) {
    if (in_group_) CloseGroup(nullptr, gs.offset());
    if (ix_.group_count == 0) only_ack_groups_ = true;
    in_group_ = true;
    ++ix_.group_count;
    ++summary_.groups;
    group_ = GroupResult{};
    GroupInfo& g = group_.info;
    g.offset = gs.offset();
    g.functional_id = std::string(gs[1]);
    g.sender = Trim(gs[2]);
    g.receiver = Trim(gs[3]);
    // A GS with extra elements (seen in real files) is read from its end when the end looks
    // like "...*control*X*version": the trailing elements are the ones that matter.
    const size_t n = gs.size();
    const size_t shift =
        n > 8 && (gs[n - 1] == "X" || gs[n - 1] == "T") && gs[n].size() >= 6 ? n - 8 : 0;
    g.date = std::string(gs[4 + shift]);
    g.time = std::string(gs[5 + shift]);
    g.control = std::string(gs[6 + shift]);
    g.agency = std::string(gs[7 + shift]);
    g.version = Trim(gs[8 + shift]);
    if (g.functional_id != "FA") only_ack_groups_ = false;
    set_controls_.Clear();
    const uint64_t at = gs.offset();
    if (shift > 0) {
      GroupError("", at, "GS", 9,
                 "GS has " + std::to_string(n) + " elements; 8 are defined: GS04-GS08 are read "
                 "from its last five elements", true);
    } else if (n > 8 && !gs[9].empty()) {
      GroupError("", at, "GS", 9, "GS has " + std::to_string(n) + " elements; 8 are defined", true);
    }
    if (g.functional_id.size() != 2) {
      GroupError("1", at, "GS", 1, "GS01 '" + g.functional_id + "' is not a functional identifier code");
    }
    if (!AllDigits(g.control) || g.control.size() > 9) {
      GroupError("6", at, "GS", 6, "GS06 '" + g.control + "' is not a valid group control number");
    } else if (!group_controls_.insert(StripZeros(g.control)).second) {
      GroupError("6", at, "GS", 6,
                 "GS06 " + g.control + " is used by another group in this interchange");
    }
    if (!IsValidDate(g.date)) {
      GroupError("", at, "GS", 4, "GS04 '" + g.date + "' is not a valid date", true);
    } else if (g.date.size() == 6 && g.version >= "004010") {
      GroupError("", at, "GS", 4, "GS04 '" + g.date + "' has a 2-digit year in a " + g.version + " group", true);
    }
    if (!IsValidTime(g.time)) {
      GroupError("", at, "GS", 5, "GS05 '" + g.time + "' is not a valid time", true);
    }
    if (g.version.size() < 6 || !AllDigits(g.version.substr(0, 6))) {
      GroupError("2", at, "GS", 8, "GS08 '" + g.version + "' is not a version this gateway reads");
    }
    sink_.OnGroupStart(g);
  }

  void CloseGroup(const Segment* ge, uint64_t offset) {
    if (in_set_) CloseSet(nullptr, offset);
    if (ge == nullptr) {
      group_.trailer_present = false;
      GroupError("3", offset, "GE", 0, "functional group " + group_.info.control + " has no GE");
    } else {
      group_.declared_sets = Trim((*ge)[1]);
      if (!AllDigits(group_.declared_sets) ||
          !SameNumber(group_.declared_sets, std::to_string(group_.received_sets))) {
        GroupError("5", ge->offset(), "GE", 1,
                   "GE01 says " + group_.declared_sets + " transaction sets, counted " +
                       std::to_string(group_.received_sets));
      }
      if (!SameNumber((*ge)[2], group_.info.control)) {
        GroupError("4", ge->offset(), "GE", 2,
                   "GE02 '" + Trim((*ge)[2]) + "' does not match GS06 '" + group_.info.control + "'");
      }
    }
    bool group_rejected = false;
    bool noted = false;
    for (const Error& e : group_.errors) {
      if (!e.warning) {
        group_rejected = true;
        if (!e.group_code.empty() &&
            std::find(group_.ak9_codes.begin(), group_.ak9_codes.end(), e.group_code) == group_.ak9_codes.end() &&
            group_.ak9_codes.size() < 5) {
          group_.ak9_codes.push_back(e.group_code);
        }
      } else {
        noted = true;
      }
    }
    const uint32_t rejected = group_.received_sets - group_.accepted_sets;
    if (group_rejected || (group_.accepted_sets == 0 && (group_.received_sets > 0 || sets_without_se_ > 0))) {
      group_.ak9 = 'R';
    } else if (rejected > 0 || sets_without_se_ > 0) {
      group_.ak9 = 'P';
    } else if (noted || sets_noted_ > 0) {
      group_.ak9 = 'E';
    } else {
      group_.ak9 = 'A';
    }
    if (group_.ak9 == 'R' || group_.ak9 == 'P') summary_.ok = false;
    sets_without_se_ = 0;
    sets_noted_ = 0;
    in_group_ = false;
    sink_.OnGroupEnd(group_);
  }

  // ---- set ----
  void OpenSet(const Segment& st) {
    if (in_set_) CloseSet(nullptr, st.offset());
    in_set_ = true;
    set_ = SetResult{};
    set_envelope_errors_.clear();
    set_.info.offset = st.offset();
    set_.info.id = std::string(st[1]);
    set_.info.control = std::string(st[2]);
    set_.info.implementation_reference = std::string(st[3]);
    position_ = 1;
    set_too_large_ = false;
    const SetSchema* schema = FindSet(set_.info.id, group_.info.version);
    set_.has_schema = schema != nullptr;
    const std::string& control = set_.info.control;
    if (control.empty()) {
      SetError("7", st.offset(), "ST", 1, 2, "ST02 (transaction set control number) is missing");
    } else if (Trim(control) != control) {
      SetError("7", st.offset(), "ST", 1, 2,
               "ST02 '" + control + "' has leading or trailing spaces");
    } else if (control.size() < 4 || control.size() > 9) {
      // Seen in real 005010 files (10-digit ST02): harmless for matching, so noted only.
      SetError("7", st.offset(), "ST", 1, 2,
               "ST02 '" + control + "' is not 4-9 characters long", true);
    }
    if (!control.empty() && !set_controls_.Insert(control)) {
      SetError("23", st.offset(), "ST", 1, 2,
               "ST02 " + control + " is used by another transaction set in this group");
    }
    if (schema == nullptr) {
      const std::string_view fid = schemas_.FunctionalIdFor(set_.info.id);
      if (IsAcknowledgmentSet(set_.info.id) || !fid.empty()) {
        Error e;
        e.layer = Layer::kSet;
        e.offset = st.offset();
        e.segment = "ST";
        e.segment_position = 1;
        e.warning = true;
        e.message = "no " + group_.info.version.substr(0, 6) + " schema for transaction set " +
                    set_.info.id + ": only the envelope is checked";
        set_envelope_errors_.push_back(std::move(e));
      } else {
        SetError("1", st.offset(), "ST", 1, 1,
                 "transaction set " + set_.info.id + " is not supported");
      }
    } else if (schema->functional_id != group_.info.functional_id) {
      SetError("6", st.offset(), "ST", 1, 1,
               "transaction set " + set_.info.id + " belongs in a " + schema->functional_id +
                   " group, not GS01 '" + group_.info.functional_id + "'",
               !options_.strict_functional_id);
    }
    sets_.Begin(schema);
    sink_.OnSetStart(set_.info);
    sink_.OnSetSegment(st, SegmentContext{1, {}});
  }

  void CloseSet(const Segment* se, uint64_t offset) {
    in_set_ = false;
    sets_.End(se, position_);
    if (se == nullptr) {
      set_.trailer_present = false;
      SetError("2", offset, "SE", position_, 0,
               "transaction set " + set_.info.control + " has no SE");
      ++sets_without_se_;
    } else {
      const std::string count = Trim((*se)[1]);
      if (!AllDigits(count) || !SameNumber(count, std::to_string(position_))) {
        SetError("4", se->offset(), "SE", position_, 1,
                 "SE01 says " + count + " segments, counted " + std::to_string(position_));
      }
      if ((*se)[2] != set_.info.control) {
        SetError("3", se->offset(), "SE", position_, 2,
                 "SE02 '" + std::string((*se)[2]) + "' does not match ST02 '" + set_.info.control + "'");
      }
      ++group_.received_sets;
    }
    set_.segment_count = position_;
    // Envelope errors first (their codes lead AK5), then the segment and element detail.
    std::vector<Error> all = std::move(set_envelope_errors_);
    for (Error& e : sets_.errors()) all.push_back(std::move(e));
    set_.error_count = all.size() - sets_.errors().size() + sets_.error_count();
    bool rejected = false;
    bool noted = false;
    for (const Error& e : all) {
      const bool coded = !e.set_code.empty() || !e.segment_code.empty() || !e.element_code.empty();
      if (!e.warning) rejected = true;
      if (e.warning && coded) noted = true;
      if (!e.set_code.empty() && set_.ak5_codes.size() < 5 &&
          std::find(set_.ak5_codes.begin(), set_.ak5_codes.end(), e.set_code) == set_.ak5_codes.end()) {
        set_.ak5_codes.push_back(e.set_code);
      }
    }
    set_.errors = std::move(all);
    set_.status = rejected ? 'R' : noted ? 'E' : 'A';
    if (!rejected) {
      if (se != nullptr) ++group_.accepted_sets;
      if (noted) ++sets_noted_;
    } else {
      ++summary_.rejected_sets;
      summary_.ok = false;
    }
    ++summary_.sets;
    if (se != nullptr) sink_.OnSetSegment(*se, SegmentContext{position_, {}});
    sink_.OnSetEnd(set_);
  }

  // The registry's lookup builds strings; consecutive sets nearly always share id and version.
  const SetSchema* FindSet(const std::string& id, const std::string& version) {
    if (id != found_set_id_ || version != found_set_version_) {
      found_set_id_ = id;
      found_set_version_ = version;
      found_set_ = schemas_.FindSet(id, version);
    }
    return found_set_;
  }

  // ---- dispatch ----
  void OnSegment(const Segment& seg) {
    last_offset_ = seg.offset();
    const std::string_view tag = seg.tag();
    if (tag == "IEA") {
      CloseInterchange(&seg, seg.offset());
      return;
    }
    if (tag == "GS") {
      OpenGroup(seg);
      return;
    }
    if (tag == "GE") {
      if (!in_group_) {
        InterchangeError("024", seg.offset(), "GE", 0, "GE without a GS");
        return;
      }
      CloseGroup(&seg, seg.offset());
      return;
    }
    if (tag == "TA1" && !in_group_) {
      ta1_seen_ = true;
      sink_.OnTa1(seg);
      return;
    }
    if (!in_group_) {
      InterchangeError("024", seg.offset(), std::string(tag), 0,
                       "segment " + std::string(tag) + " outside a functional group");
      return;
    }
    if (tag == "ST") {
      OpenSet(seg);
      return;
    }
    if (!in_set_) {
      GroupError("", seg.offset(), std::string(tag), 0,
                 "segment " + std::string(tag) + " outside a transaction set");
      return;
    }
    ++position_;
    if (tag == "SE") {
      CloseSet(&seg, seg.offset());
      return;
    }
    if (!set_too_large_ && seg.offset() - set_.info.offset > options_.max_set_bytes) {
      set_too_large_ = true;
      SetError("5", seg.offset(), std::string(tag), position_, 0,
               "transaction set " + set_.info.control + " is larger than " +
                   std::to_string(options_.max_set_bytes) + " bytes, the configured cap");
    }
    const SetValidator::Placement where = sets_.OnSegment(seg, position_, reader_.proved_clean());
    if (!set_too_large_) {
      sink_.OnSetSegment(seg, SegmentContext{position_, where.loop_id(), where.depth, where.starts_loop});
    }
  }

  ValidationSink& sink_;
  const ValidationOptions& options_;
  const SchemaRegistry& schemas_;
  ReadAhead reader_;
  SetValidator sets_;
  FileSummary summary_;

  bool in_interchange_ = false;
  bool in_group_ = false;
  bool in_set_ = false;
  bool ta1_seen_ = false;
  bool only_ack_groups_ = false;
  bool set_too_large_ = false;
  size_t interchange_index_ = 0;
  uint32_t position_ = 0;
  uint32_t sets_without_se_ = 0;
  uint32_t sets_noted_ = 0;
  uint64_t last_offset_ = 0;
  InterchangeResult ix_;
  GroupResult group_;
  SetResult set_;
  std::vector<Error> set_envelope_errors_;
  std::vector<Error> pending_notices_;
  std::map<std::string, long> isa_controls_;
  std::unordered_set<std::string> group_controls_;
  ControlNumbers set_controls_;
  std::string found_set_id_ = "\x01", found_set_version_;  // FindSet()'s last lookup ("\x01": none)
  const SetSchema* found_set_ = nullptr;
};

}  // namespace

char Ta1StatusFor(std::string_view code) {
  if (code == "000" || code.empty()) return 'A';
  static constexpr std::string_view kReject[] = {"001", "004", "005", "007", "010", "011", "012", "013",
                                                 "014", "015", "016", "017", "018", "021", "022", "023",
                                                 "024", "025", "026", "027"};
  for (std::string_view r : kReject) {
    if (r == code) return 'R';
  }
  return 'E';
}

FileSummary Validate(ByteSource& source, ValidationSink& sink, const ValidationOptions& options) {
  FileValidator v(source, sink, options);
  return v.Run();
}

}  // namespace edi
