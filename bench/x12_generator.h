// The X12 generator behind generate_x12 and the benchmarks: realistic, valid 004010 945 and
// 856 files with computed counts and control numbers, deterministic for a seed. Header-only so
// that the tool and every benchmark executable can share it without a library target.
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

namespace x12gen {

// splitmix64: small, fast and the same on every platform (std distributions are not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi].
  uint64_t Range(uint64_t lo, uint64_t hi) { return lo + Next() % (hi - lo + 1); }
  bool Chance(unsigned percent) { return Next() % 100 < percent; }
  template <class T, size_t N>
  const T& Pick(const T (&a)[N]) {
    return a[Next() % N];
  }

 private:
  uint64_t s_;
};

// An output buffer flushed to the file in large chunks; without a file everything stays in
// memory (Take() returns it).
class Out {
 public:
  explicit Out(std::FILE* f) : f_(f) { buf_.reserve(kFlush + 64 * 1024); }
  ~Out() { Flush(); }
  std::string Take() { return std::move(buf_); }
  void Put(std::string_view s) { buf_.append(s); }
  void Put(char c) { buf_.push_back(c); }
  // Decimal, at least `width` digits (zero-padded).
  void Num(uint64_t v, int width = 0) {
    char tmp[24];
    int n = 0;
    do {
      tmp[n++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    for (int i = n; i < width; ++i) buf_.push_back('0');
    while (n > 0) buf_.push_back(tmp[--n]);
  }
  // A decimal with two implied places written explicitly ("123.45", "7.5", "12").
  void Decimal2(uint64_t hundredths) {
    Num(hundredths / 100);
    const uint64_t frac = hundredths % 100;
    if (frac == 0) return;
    buf_.push_back('.');
    buf_.push_back(static_cast<char>('0' + frac / 10));
    if (frac % 10 != 0) buf_.push_back(static_cast<char>('0' + frac % 10));
  }
  void MaybeFlush() {
    if (buf_.size() >= kFlush) Flush();
  }
  void Flush() {
    if (buf_.empty() || f_ == nullptr) return;
    if (std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) {
      std::perror("generate_x12: write");
      std::exit(2);
    }
    written_ += buf_.size();
    buf_.clear();
  }
  uint64_t size() const { return written_ + buf_.size(); }

 private:
  static constexpr size_t kFlush = 1 << 20;
  std::FILE* f_;
  std::string buf_;
  uint64_t written_ = 0;
};

struct Date {
  int year, month, day;
};

inline int DaysIn(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

inline Date AddDays(Date d, int n) {
  for (; n > 0; --n) {
    if (++d.day > DaysIn(d.year, d.month)) {
      d.day = 1;
      if (++d.month > 12) {
        d.month = 1;
        ++d.year;
      }
    }
  }
  return d;
}

// GS1 mod-10 check digit over the digits of `s` (the rightmost weighted 3).
inline char CheckDigit(std::string_view s) {
  int sum = 0;
  bool three = true;
  for (size_t i = s.size(); i-- > 0;) {
    sum += (s[i] - '0') * (three ? 3 : 1);
    three = !three;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

struct Party {
  const char* name;
  const char* street;
  const char* city;
  const char* state;
  const char* zip;
};

constexpr Party kShipTo[] = {
    {"ACME STORES DC 0042", "1200 INDUSTRIAL PKWY", "COLUMBUS", "OH", "43228"},
    {"NORTHWIND RETAIL #118", "45 COMMERCE DR", "ALLENTOWN", "PA", "18106"},
    {"BLUE RIDGE OUTFITTERS", "9870 LOGISTICS WAY", "ROANOKE", "VA", "24012"},
    {"Sunset Home Goods", "3301 W Olive Ave", "Fresno", "CA", "93722"},
    {"LAKESHORE MARKETS 7", "18 HARBOR RD", "MILWAUKEE", "WI", "53207"},
    {"PRAIRIE FARM SUPPLY", "600 E FRONTAGE RD", "SALINA", "KS", "67401"},
    {"Metro Pharmacy DC", "2250 Gateway Blvd", "Reno", "NV", "89521"},
    {"GULF COAST WHOLESALE", "77 PORT AVE", "MOBILE", "AL", "36602"},
    {"EVERGREEN GROCERS", "1450 SW 27TH ST", "RENTON", "WA", "98057"},
    {"TRI-STATE HARDWARE", "5 DEPOT PLZ", "NEWARK", "NJ", "07114"},
};
constexpr Party kWarehouses[] = {
    {"CENTRAL 3PL MEMPHIS", "4100 AIRWAYS BLVD", "MEMPHIS", "TN", "38116"},
    {"WESTLINK FULFILLMENT", "12000 JURUPA AVE", "FONTANA", "CA", "92337"},
    {"ATLANTIC LOGISTICS", "310 DISTRIBUTION DR", "SAVANNAH", "GA", "31408"},
    {"MIDWEST DC INDY", "8800 PLAINFIELD RD", "PLAINFIELD", "IN", "46168"},
};
struct Carrier {
  const char* scac;
  const char* name;
  const char* method;  // 91: M motor, U parcel, A air
};
constexpr Carrier kCarriers[] = {
    {"UPSN", "UPS GROUND", "U"},     {"FDEG", "FEDEX GROUND", "U"}, {"FDE", "FEDEX EXPRESS", "A"},
    {"ODFL", "OLD DOMINION", "M"},   {"SAIA", "SAIA LTL", "M"},     {"RLCA", "R+L CARRIERS", "M"},
    {"XPOL", "XPO LOGISTICS", "M"},  {"USPS", "US MAIL", "U"},
};
constexpr const char* kSkuPrefixes[] = {"WDG", "HSE", "KIT", "TLS", "APP", "OUT", "PET", "TOY"};
constexpr const char* kDescriptions[] = {
    "STAINLESS TUMBLER 20OZ", "LED DESK LAMP BLACK",  "COTTON BATH TOWEL SET", "Cordless Drill 18V",
    "GARDEN HOSE 50FT",      "DOG CHEW TOY LARGE",   "CERAMIC MUG 4PK",       "Yoga Mat Blue 6mm",
    "AA BATTERIES 24CT",     "WOOL HIKING SOCKS M",  "CAST IRON SKILLET 10",  "Kids Puzzle 500pc",
};
constexpr const char* kStatus945[] = {"CC", "CC", "CC", "CC", "CL", "CP", "PR", "SS"};
constexpr const char* kPayment[] = {"PP", "PP", "CC", "TP"};
constexpr const char* kUom[] = {"EA", "EA", "EA", "CA", "PK"};
constexpr const char* kSenders[] = {"MEMPHIS3PL", "WESTLINKFUL", "ATLLOGISTICS", "MIDWESTDC"};

class Generator {
 public:
  Generator(Out& out, uint64_t seed, bool is856, uint64_t target, uint32_t sets_per_group)
      : out_(out), rng_(seed), is856_(is856), target_(target), sets_per_group_(sets_per_group) {
    isa_control_ = 100000 + rng_.Range(0, 99999);
    group_control_ = 1000 + rng_.Range(0, 8999);
    order_ = 4500000 + rng_.Range(0, 99999);
    serial_ = rng_.Range(100000000, 899999999);
    date_ = Date{2024, 1, 2};
  }

  // Writes interchanges until the target size is reached (at least one set).
  void Run() {
    do {
      Interchange();
    } while (!Done());
  }

 private:
  bool Done() const { return out_.size() >= target_; }

  // Segment helpers: Seg("N1") writes "N1", E(...) writes "*value", End() the terminator.
  void Seg(std::string_view tag) {
    out_.Put(tag);
    ++segments_;
  }
  void E(std::string_view v) {
    out_.Put('*');
    out_.Put(v);
  }
  void E() { out_.Put('*'); }
  void EN(uint64_t v, int width = 0) {
    out_.Put('*');
    out_.Num(v, width);
  }
  void ED(const Date& d) {
    out_.Put('*');
    out_.Num(static_cast<uint64_t>(d.year), 4);
    out_.Num(static_cast<uint64_t>(d.month), 2);
    out_.Num(static_cast<uint64_t>(d.day), 2);
  }
  void ET(int hhmm) {
    out_.Put('*');
    out_.Num(static_cast<uint64_t>(hhmm), 4);
  }
  void End() { out_.Put("~\n"); }
  int Time() { return static_cast<int>(rng_.Range(6, 21) * 100 + rng_.Range(0, 59)); }

  void Interchange() {
    const uint64_t control = isa_control_++;
    const char* sender = rng_.Pick(kSenders);
    const int hhmm = Time();
    // ISA: every element at its fixed width.
    char isa[128];
    std::snprintf(isa, sizeof isa,
                  "ISA*00*          *00*          *ZZ*%-15s*ZZ*%-15s*%02d%02d%02d*%04d*U*00401*%09llu*0*P*>~\n",
                  sender, "OMSGATEWAY", date_.year % 100, date_.month, date_.day, hhmm,
                  static_cast<unsigned long long>(control));
    out_.Put(isa);
    const int groups = static_cast<int>(rng_.Range(1, 3));
    int written = 0;
    for (int g = 0; g < groups && (g == 0 || !Done()); ++g, ++written) Group(sender, hhmm);
    Seg("IEA");
    EN(static_cast<uint64_t>(written));
    EN(control, 9);
    End();
    date_ = AddDays(date_, 1);
    if (date_.year > 2027) date_ = Date{2024, 1, 2};
    out_.MaybeFlush();
  }

  void Group(const char* sender, int hhmm) {
    const uint64_t control = group_control_++;
    Seg("GS");
    E(is856_ ? "SH" : "SW");
    E(sender);
    E("OMSGATEWAY");
    ED(date_);
    ET(hhmm);
    EN(control);
    E("X");
    E("004010");
    End();
    const uint32_t lo = sets_per_group_ / 2 > 0 ? sets_per_group_ / 2 : 1;
    const uint32_t sets = static_cast<uint32_t>(rng_.Range(lo, sets_per_group_));
    uint32_t n = 0;
    while (n < sets && (n == 0 || !Done())) {
      ++n;
      segments_ = 0;
      Seg("ST");
      E(is856_ ? "856" : "945");
      EN(n, 4);
      End();
      if (is856_) {
        Body856();
      } else {
        Body945();
      }
      Seg("SE");
      EN(segments_);
      EN(n, 4);
      End();
      out_.MaybeFlush();
    }
    Seg("GE");
    EN(n);
    EN(control);
    End();
  }

  void Address(const char* code, const Party& p, const char* id_qual, uint64_t id) {
    Seg("N1");
    E(code);
    E(p.name);
    E(id_qual);
    EN(id, 4);
    End();
    Seg("N3");
    E(p.street);
    End();
    Seg("N4");
    E(p.city);
    E(p.state);
    E(p.zip);
    E("US");
    End();
  }

  // SSCC-18 with its application identifier: "00" + extension + company prefix + serial + check.
  void Sscc() {
    char d[18];
    std::snprintf(d, sizeof d, "%c0614141%09llu", static_cast<char>('0' + serial_ % 10),
                  static_cast<unsigned long long>(serial_));
    ++serial_;
    std::string_view body(d, 17);
    out_.Put("*00");
    out_.Put(body);
    out_.Put(CheckDigit(body));
  }

  void Tracking(const Carrier& c) {
    out_.Put('*');
    if (c.scac[0] == 'U' && c.scac[1] == 'P') {
      out_.Put("1Z");
      out_.Num(rng_.Range(100000, 999999));
      out_.Put("03");
      out_.Num(rng_.Range(10000000, 99999999));
    } else {
      out_.Num(rng_.Range(100000000000ull, 999999999999ull));
    }
  }

  void Sku(uint64_t item) {
    out_.Put(rng_.Pick(kSkuPrefixes));
    out_.Put('-');
    out_.Num(item, 5);
  }

  void Body945() {
    const uint64_t order = order_++;
    const Party& to = rng_.Pick(kShipTo);
    const Party& from = rng_.Pick(kWarehouses);
    const Carrier& carrier = rng_.Pick(kCarriers);
    const Date ship = date_;
    Seg("W06");
    E(rng_.Chance(85) ? "N" : "F");
    out_.Put("*SO");
    out_.Num(order);
    ED(ship);
    out_.Put("*SH");
    out_.Num(order * 7 % 100000000, 8);
    E();
    out_.Put("*PO");
    out_.Num(order % 1000000 + 300000);
    End();
    Address("ST", to, "92", rng_.Range(1, 9999));
    Address("SF", from, "9", rng_.Range(1000, 9999));
    if (rng_.Chance(30)) {
      Seg("N1");
      E("BT");
      E(to.name);
      End();
    }
    Seg("N9");
    E("BM");
    out_.Put("*BOL");
    out_.Num(order, 9);
    End();
    if (rng_.Chance(50)) {
      Seg("N9");
      E("CN");
      out_.Put('*');
      out_.Num(rng_.Range(10000000, 99999999));
      End();
    }
    Seg("G62");
    E("11");
    ED(ship);
    E("8");
    ET(Time());
    End();
    Seg("W27");
    E(carrier.method);
    E(carrier.scac);
    E(carrier.name);
    E(rng_.Pick(kPayment));
    End();
    const uint64_t cartons = rng_.Range(1, 6);
    uint64_t units = 0;
    uint64_t weight = 0;  // hundredths of a pound
    for (uint64_t lx = 1; lx <= cartons; ++lx) {
      Seg("LX");
      EN(lx);
      End();
      Seg("MAN");
      E("GM");
      Sscc();
      End();
      Seg("N9");
      E("2I");
      Tracking(carrier);
      End();
      const uint64_t lines = rng_.Range(1, 4);
      for (uint64_t l = 0; l < lines; ++l) {
        const char* status = rng_.Pick(kStatus945);
        const uint64_t ordered = rng_.Range(1, 48);
        const bool partial = status[1] == 'P' || status[1] == 'R';  // CP, PR
        const uint64_t shipped = partial && ordered > 1 ? ordered - rng_.Range(1, ordered - 1) : ordered;
        const uint64_t line_weight = shipped * rng_.Range(20, 900);
        units += shipped;
        weight += line_weight;
        Seg("W12");
        E(status);
        EN(ordered);
        EN(shipped);
        EN(ordered - shipped);
        E(rng_.Pick(kUom));
        E();
        E("SK");
        out_.Put('*');
        Sku(rng_.Range(1, 99999));
        if (rng_.Chance(60)) {
          out_.Put("*L");
          out_.Num(rng_.Range(1000000, 9999999));
          out_.Put('*');
          out_.Decimal2(line_weight);
          E("G");
          E("L");
        }
        End();
        if (rng_.Chance(15)) {
          Seg("N9");
          E("LT");
          out_.Put("*LOT");
          out_.Num(rng_.Range(10000, 99999));
          End();
        }
      }
    }
    Seg("W03");
    EN(units);
    out_.Put('*');
    out_.Decimal2(weight);
    E("LB");
    if (rng_.Chance(40)) {
      out_.Put('*');
      out_.Decimal2(rng_.Range(100, 20000));
      E("CF");
      EN(cartons);
      E("CT");
    }
    End();
  }

  void Body856() {
    const uint64_t asn = order_++;
    const Party& to = rng_.Pick(kShipTo);
    const Party& from = rng_.Pick(kWarehouses);
    const Carrier& carrier = rng_.Pick(kCarriers);
    const Date ship = date_;
    const Date due = AddDays(date_, static_cast<int>(rng_.Range(1, 6)));
    Seg("BSN");
    E("00");
    out_.Put("*ASN");
    out_.Num(asn);
    ED(ship);
    ET(Time());
    E("0001");
    End();
    uint64_t hl = 1;
    Seg("HL");
    EN(hl);
    E();
    E("S");
    E("1");
    End();
    const uint64_t orders = rng_.Range(1, 3);
    // The shipment totals come first, so the tree is drawn before it is written: sizes only.
    uint64_t packs_per_order[3];
    uint64_t total_packs = 0;
    for (uint64_t o = 0; o < orders; ++o) {
      packs_per_order[o] = rng_.Range(1, 4);
      total_packs += packs_per_order[o];
    }
    Seg("TD1");
    E("CTN25");
    EN(total_packs);
    E();
    E();
    E();
    E("G");
    out_.Put('*');
    out_.Decimal2(total_packs * rng_.Range(500, 4000));
    E("LB");
    End();
    Seg("TD5");
    E("B");
    E("2");
    E(carrier.scac);
    E(carrier.method);
    E(carrier.name);
    End();
    Seg("REF");
    E("BM");
    out_.Put("*BOL");
    out_.Num(asn, 9);
    End();
    if (rng_.Chance(50)) {
      Seg("REF");
      E("CN");
      Tracking(carrier);
      End();
    }
    Seg("DTM");
    E("011");
    ED(ship);
    End();
    Seg("DTM");
    E("017");
    ED(due);
    End();
    Address("ST", to, "92", rng_.Range(1, 9999));
    Address("SF", from, "9", rng_.Range(1000, 9999));
    for (uint64_t o = 0; o < orders; ++o) {
      const uint64_t order_hl = ++hl;
      Seg("HL");
      EN(order_hl);
      EN(1);
      E("O");
      E("1");
      End();
      Seg("PRF");
      out_.Put("*PO");
      out_.Num(rng_.Range(1000000, 9999999));
      E();
      E();
      ED(AddDays(Date{2023, 12, 1}, static_cast<int>(rng_.Range(0, 30))));
      End();
      if (rng_.Chance(40)) {
        Seg("REF");
        E("IA");
        out_.Put("*V");
        out_.Num(rng_.Range(10000, 99999));
        End();
      }
      for (uint64_t p = 0; p < packs_per_order[o]; ++p) {
        const uint64_t pack_hl = ++hl;
        Seg("HL");
        EN(pack_hl);
        EN(order_hl);
        E("P");
        E("1");
        End();
        if (rng_.Chance(30)) {
          Seg("PO4");
          EN(rng_.Range(1, 24));
          E();
          E();
          E();
          E("G");
          out_.Put('*');
          out_.Decimal2(rng_.Range(100, 5000));
          E("LB");
          End();
        }
        Seg("MAN");
        E("GM");
        Sscc();
        End();
        const uint64_t items = rng_.Range(1, 4);
        for (uint64_t i = 0; i < items; ++i) {
          Seg("HL");
          EN(++hl);
          EN(pack_hl);
          E("I");
          E("0");
          End();
          // UPC-A with its check digit, and the vendor's SKU.
          char upc[12];
          std::snprintf(upc, sizeof upc, "0%05llu%05llu",
                        static_cast<unsigned long long>(rng_.Range(10000, 99999)),
                        static_cast<unsigned long long>(rng_.Range(0, 99999)));
          Seg("LIN");
          E();
          E("UP");
          out_.Put('*');
          out_.Put(std::string_view(upc, 11));
          out_.Put(CheckDigit(std::string_view(upc, 11)));
          E("VN");
          out_.Put('*');
          Sku(rng_.Range(1, 99999));
          End();
          const uint64_t qty = rng_.Range(1, 48);
          Seg("SN1");
          E();
          EN(qty);
          E(rng_.Pick(kUom));
          if (rng_.Chance(25)) {
            E();
            EN(qty + rng_.Range(0, 12));
            E("EA");
          }
          End();
          if (rng_.Chance(35)) {
            Seg("PID");
            E("F");
            E();
            E();
            E();
            E(rng_.Pick(kDescriptions));
            End();
          }
        }
      }
    }
    Seg("CTT");
    EN(hl);
    End();
  }

  Out& out_;
  Rng rng_;
  bool is856_;
  uint64_t target_;
  uint32_t sets_per_group_;
  uint64_t isa_control_ = 0;
  uint64_t group_control_ = 0;
  uint64_t order_ = 0;
  uint64_t serial_ = 0;
  uint64_t segments_ = 0;
  Date date_{};
};

// The whole file in memory: `megabytes` of 945 or 856 (is856) data.
inline std::string Generate(bool is856, uint64_t bytes, uint64_t seed = 1, uint32_t sets_per_group = 5000) {
  Out out(nullptr);
  Generator gen(out, seed, is856, bytes, sets_per_group);
  gen.Run();
  return out.Take();
}

}  // namespace x12gen
