#include "gateway/metrics/registry.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

namespace gateway::metrics {
namespace {

TEST(MetricsRegistry, EmptyRegistryRendersNothing) {
  Registry r;
  EXPECT_EQ(r.Render(), "");
}

TEST(MetricsRegistry, ExactTextFormatWithSortedFamiliesAndSeries) {
  Registry r;
  auto files_b = r.Counter("edigate_files_received_total", "Files stored in the spool.",
                           {{"partner", "beta"}});
  auto files_a = r.Counter("edigate_files_received_total", "ignored: the first help wins",
                           {{"partner", "acme"}});
  auto age = r.Gauge("edigate_oldest_pending_seconds", "Age of the oldest pending message.");
  auto errors = r.Counter("edigate_api_errors_total", "API errors.");
  ASSERT_TRUE(files_a.ok()) << files_a.status().ToString();
  ASSERT_TRUE(files_b.ok());
  ASSERT_TRUE(age.ok());
  ASSERT_TRUE(errors.ok());
  files_a->Inc();
  files_a->Inc(2);
  files_b->Inc();
  age->Set(12.5);

  EXPECT_EQ(r.Render(),
            "# HELP edigate_api_errors_total API errors.\n"
            "# TYPE edigate_api_errors_total counter\n"
            "edigate_api_errors_total 0\n"
            "# HELP edigate_files_received_total Files stored in the spool.\n"
            "# TYPE edigate_files_received_total counter\n"
            "edigate_files_received_total{partner=\"acme\"} 3\n"
            "edigate_files_received_total{partner=\"beta\"} 1\n"
            "# HELP edigate_oldest_pending_seconds Age of the oldest pending message.\n"
            "# TYPE edigate_oldest_pending_seconds gauge\n"
            "edigate_oldest_pending_seconds 12.5\n");
}

TEST(MetricsRegistry, SameSeriesSharesOneValueWhateverTheLabelOrder) {
  Registry r;
  auto a = r.Counter("c_total", "h", {{"partner", "acme"}, {"type", "945"}});
  auto b = r.Counter("c_total", "h", {{"type", "945"}, {"partner", "acme"}});
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  a->Inc();
  b->Inc();
  EXPECT_EQ(a->Value(), 2u);
  EXPECT_NE(r.Render().find("c_total{partner=\"acme\",type=\"945\"} 2\n"), std::string::npos);
}

TEST(MetricsRegistry, LabelValuesAndHelpAreEscaped) {
  Registry r;
  auto c = r.Counter("x_total", "line one\nback\\slash \"quotes\" stay",
                     {{"path", "C:\\in\n\"x\""}});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(r.Render(),
            "# HELP x_total line one\\nback\\\\slash \"quotes\" stay\n"
            "# TYPE x_total counter\n"
            "x_total{path=\"C:\\\\in\\n\\\"x\\\"\"} 0\n");
}

TEST(MetricsRegistry, InvalidUtf8InLabelValuesIsReplaced) {
  EXPECT_EQ(EscapeLabelValue("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(EscapeLabelValue("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(EscapeLabelValue("\xC3"), "\xEF\xBF\xBD");          // truncated sequence
  EXPECT_EQ(EscapeLabelValue("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  EXPECT_EQ(EscapeLabelValue("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(EscapeLabelValue("\xF0\x9F\x93\xA6"), "\xF0\x9F\x93\xA6");
}

TEST(MetricsRegistry, ValuesUseTheTextFormatSpelling) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(3), "3");
  EXPECT_EQ(FormatValue(-0.25), "-0.25");
  EXPECT_EQ(FormatValue(1e21), "1e+21");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
}

TEST(MetricsRegistry, NamesAreValidated) {
  EXPECT_TRUE(ValidMetricName("edigate:recording_rule_total"));
  EXPECT_TRUE(ValidMetricName("_x9"));
  EXPECT_FALSE(ValidMetricName(""));
  EXPECT_FALSE(ValidMetricName("9lives"));
  EXPECT_FALSE(ValidMetricName("files-received"));
  EXPECT_FALSE(ValidMetricName("files received"));
  EXPECT_TRUE(ValidLabelName("partner_id"));
  EXPECT_FALSE(ValidLabelName("__name__"));
  EXPECT_FALSE(ValidLabelName("a:b"));
  EXPECT_FALSE(ValidLabelName("1a"));

  Registry r;
  auto bad_name = r.Counter("bad-name", "h");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad_name.status().message().find("bad-name"), std::string::npos);
  auto bad_label = r.Gauge("g", "h", {{"bad-label", "v"}});
  ASSERT_FALSE(bad_label.ok());
  EXPECT_NE(bad_label.status().message().find("bad-label"), std::string::npos);
  auto twice = r.Gauge("g", "h", {{"a", "1"}, {"a", "2"}});
  EXPECT_FALSE(twice.ok());
  EXPECT_EQ(r.Render(), "") << "failed registrations leave no family behind";
}

TEST(MetricsRegistry, OneNameHasOneType) {
  Registry r;
  ASSERT_TRUE(r.Counter("m", "h").ok());
  auto g = r.Gauge("m", "h");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("counter"), std::string::npos);
}

TEST(MetricsRegistry, ConcurrentIncrementsAreExact) {
  Registry r;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&r, t] {
      // Registration races too: every thread looks the series up itself.
      auto shared = r.Counter("shared_total", "h", {{"kind", "shared"}});
      auto own = r.Counter("own_total", "h", {{"thread", std::to_string(t)}});
      auto level = r.Gauge("level", "h");
      if (!shared.ok() || !own.ok() || !level.ok()) return;
      for (int i = 0; i < kPerThread; ++i) {
        shared->Inc();
        own->Inc();
        level->Add(1);
        if (i % 1000 == 0) (void)r.Render();  // scraping while others write
      }
    });
  }
  for (auto& t : threads) t.join();
  auto shared = r.Counter("shared_total", "h", {{"kind", "shared"}});
  ASSERT_TRUE(shared.ok());
  EXPECT_EQ(shared->Value(), std::uint64_t{kThreads} * kPerThread);
  auto level = r.Gauge("level", "h");
  ASSERT_TRUE(level.ok());
  EXPECT_EQ(level->Value(), double{kThreads} * kPerThread);
  const std::string text = r.Render();
  EXPECT_NE(text.find("shared_total{kind=\"shared\"} 160000\n"), std::string::npos) << text;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_NE(text.find("own_total{thread=\"" + std::to_string(t) + "\"} 20000\n"),
              std::string::npos);
  }
}

TEST(MetricsRegistry, DetachedHandlesDoNothing) {
  CounterHandle c;
  GaugeHandle g;
  c.Inc(5);
  g.Set(3);
  g.Add(1);
  EXPECT_EQ(c.Value(), 0u);
  EXPECT_EQ(g.Value(), 0.0);
}

TEST(MetricsRegistry, CollectorsRunAtEveryScrape) {
  Registry r;
  int overdue = 1;
  ASSERT_TRUE(r.AddCollector("spool",
                             {{"edigate_acks_overdue", "940s with no 997 past the ack deadline."},
                              {"edigate_dead_letters", "Dead-lettered messages."}},
                             [&overdue](CollectorOutput& out) {
                               out.Gauge("edigate_acks_overdue", {{"partner", "beta"}}, overdue);
                               out.Gauge("edigate_acks_overdue", {{"partner", "acme"}}, 0);
                               out.Gauge("edigate_dead_letters", {}, 4);
                               return Status::Ok();
                             })
                  .ok());
  const std::string first = r.Render();
  EXPECT_NE(first.find("# HELP edigate_acks_overdue 940s with no 997 past the ack deadline.\n"
                       "# TYPE edigate_acks_overdue gauge\n"
                       "edigate_acks_overdue{partner=\"acme\"} 0\n"
                       "edigate_acks_overdue{partner=\"beta\"} 1\n"
                       "# HELP edigate_dead_letters Dead-lettered messages.\n"
                       "# TYPE edigate_dead_letters gauge\n"
                       "edigate_dead_letters 4\n"),
            std::string::npos)
      << first;
  EXPECT_NE(first.find("edigate_metrics_collector_failures_total{collector=\"spool\"} 0\n"),
            std::string::npos);
  overdue = 7;
  EXPECT_NE(r.Render().find("edigate_acks_overdue{partner=\"beta\"} 7\n"), std::string::npos);
}

TEST(MetricsRegistry, FailingCollectorLeavesItsGaugesOutAndIsCounted) {
  Registry r;
  bool fail = true;
  ASSERT_TRUE(r.AddCollector("spool", {{"pending", "h"}},
                             [&fail](CollectorOutput& out) {
                               out.Gauge("pending", {}, 3);
                               if (fail) return Status(Code::kUnavailable, "spool locked");
                               return Status::Ok();
                             })
                  .ok());
  std::string text = r.Render();
  EXPECT_EQ(text.find("pending 3"), std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE pending gauge\n"), std::string::npos);
  EXPECT_NE(text.find("edigate_metrics_collector_failures_total{collector=\"spool\"} 1\n"),
            std::string::npos);
  fail = false;
  text = r.Render();
  EXPECT_NE(text.find("\npending 3\n"), std::string::npos) << text;
}

TEST(MetricsRegistry, CollectorSamplesOutsideItsFamiliesAreDropped) {
  Registry r;
  ASSERT_TRUE(r.AddCollector("c", {{"mine", "h"}},
                             [](CollectorOutput& out) {
                               out.Gauge("not_mine", {}, 1);
                               out.Gauge("mine", {{"bad-label", "x"}}, 2);
                               out.Gauge("mine", {{"ok", "x"}}, 3);
                               return Status::Ok();
                             })
                  .ok());
  const std::string text = r.Render();
  EXPECT_EQ(text.find("not_mine"), std::string::npos);
  EXPECT_EQ(text.find("bad-label"), std::string::npos);
  EXPECT_NE(text.find("mine{ok=\"x\"} 3\n"), std::string::npos);
}

TEST(MetricsRegistry, CollectorMayRegisterSeriesWithoutDeadlock) {
  Registry r;
  ASSERT_TRUE(r.AddCollector("c", {{"g", "h"}},
                             [&r](CollectorOutput& out) {
                               auto c = r.Counter("scrapes_total", "h");
                               if (c.ok()) c->Inc();
                               out.Gauge("g", {}, 1);
                               return Status::Ok();
                             })
                  .ok());
  (void)r.Render();
  EXPECT_NE(r.Render().find("scrapes_total 2\n"), std::string::npos);
}

TEST(MetricsRegistry, CollectorFamiliesCannotClash) {
  Registry r;
  ASSERT_TRUE(r.Counter("taken_total", "h").ok());
  auto ok = [](CollectorOutput&) { return Status::Ok(); };
  EXPECT_FALSE(r.AddCollector("a", {{"taken_total", "h"}}, ok).ok());
  EXPECT_FALSE(r.AddCollector("a", {{"bad name", "h"}}, ok).ok());
  EXPECT_FALSE(r.AddCollector("a", {{"x", "h"}, {"x", "h"}}, ok).ok());
  ASSERT_TRUE(r.AddCollector("a", {{"x", "h"}}, ok).ok());
  EXPECT_FALSE(r.AddCollector("a", {{"y", "h"}}, ok).ok()) << "collector names are unique";
  EXPECT_FALSE(r.AddCollector("b", {{"x", "h"}}, ok).ok());
  EXPECT_FALSE(r.Gauge("x", "h").ok()) << "a collector's family has one source";
}

}  // namespace
}  // namespace gateway::metrics
