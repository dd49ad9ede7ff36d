package io.tradingdr.local.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** The drill's summary table on the terminal, and report.json + report.html in a directory. */
public final class DrillReport {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final List<DrillRunResult> runs;
  private final Map<String, Object> settings;

  public DrillReport(List<DrillRunResult> runs, Map<String, Object> settings) {
    this.runs = List.copyOf(runs);
    this.settings = Map.copyOf(settings);
  }

  public boolean allPassed() {
    return !runs.isEmpty() && runs.stream().allMatch(DrillRunResult::passed);
  }

  /** Per scenario and mode: one row of the summary. */
  public record Row(
      String scenario,
      String mode,
      int runs,
      int passed,
      Double rtoP50Ms,
      Double rtoMaxMs,
      Double unavailableMaxMs,
      Double detectP50Ms,
      Double fenceP50Ms,
      Double promoteP50Ms,
      Double routeP50Ms,
      int acknowledged,
      int lost,
      int lostInLedger,
      int splitBrain,
      Integer reconciled,
      Double lagP99Ms,
      Double sessionLagP99Ms) {}

  public List<Row> rows() {
    Map<String, List<DrillRunResult>> groups = new LinkedHashMap<>();
    for (DrillRunResult r : runs) {
      groups.computeIfAbsent(r.scenario() + "\u0000" + r.mode(), k -> new ArrayList<>()).add(r);
    }
    List<Row> rows = new ArrayList<>();
    for (List<DrillRunResult> g : groups.values()) {
      rows.add(
          new Row(
              g.getFirst().scenario(),
              g.getFirst().mode(),
              g.size(),
              (int) g.stream().filter(DrillRunResult::passed).count(),
              percentile(g, DrillRunResult::rtoMs, 0.5),
              percentile(g, DrillRunResult::rtoMs, 1.0),
              percentile(g, DrillRunResult::unavailableMs, 1.0),
              percentile(g, DrillRunResult::detectMs, 0.5),
              percentile(g, DrillRunResult::fenceMs, 0.5),
              percentile(g, DrillRunResult::promoteMs, 0.5),
              percentile(g, DrillRunResult::routeMs, 0.5),
              g.stream().mapToInt(DrillRunResult::acknowledged).sum(),
              g.stream().mapToInt(DrillRunResult::lost).sum(),
              g.stream().mapToInt(DrillRunResult::lostInLedger).sum(),
              g.stream().mapToInt(DrillRunResult::splitBrain).sum(),
              g.stream().allMatch(r -> r.reconciled() == null)
                  ? null
                  : g.stream()
                      .map(DrillRunResult::reconciled)
                      .filter(Objects::nonNull)
                      .mapToInt(Integer::intValue)
                      .sum(),
              pooledReplayLagP99(g),
              percentile(g, r -> r.lag().sessionP99Ms(), 1.0)));
    }
    return rows;
  }

  /** The 99th percentile of every run's replay-lag samples together. */
  private static Double pooledReplayLagP99(List<DrillRunResult> runs) {
    List<Double> samples =
        runs.stream().flatMap(r -> r.lag().replayMs().stream()).sorted().toList();
    if (samples.isEmpty()) {
      return null;
    }
    return samples.get(Math.max(0, (int) Math.ceil(samples.size() * 0.99) - 1));
  }

  private static Double percentile(
      List<DrillRunResult> runs, Function<DrillRunResult, Double> figure, double p) {
    List<Double> values = runs.stream().map(figure).filter(Objects::nonNull).sorted().toList();
    if (values.isEmpty()) {
      return null;
    }
    int index = (int) Math.ceil(values.size() * p) - 1;
    return values.get(Math.max(0, Math.min(values.size() - 1, index)));
  }

  /** The summary table; times in seconds after the fault. */
  public void printSummary(PrintWriter out) {
    String format = "%-29s %-5s %4s %8s %8s %8s %7s %7s %7s %7s %6s %5s %6s %5s %5s %9s %9s  %s%n";
    out.println();
    out.printf(
        Locale.ROOT,
        format,
        "scenario",
        "mode",
        "runs",
        "RTO p50",
        "RTO max",
        "unavail",
        "detect",
        "fence",
        "promote",
        "route",
        "acked",
        "lost",
        "ledger",
        "split",
        "recon",
        "lag p99",
        "sess p99",
        "result");
    for (Row r : rows()) {
      out.printf(
          Locale.ROOT,
          format,
          r.scenario(),
          r.mode(),
          r.runs(),
          seconds(r.rtoP50Ms()),
          seconds(r.rtoMaxMs()),
          seconds(r.unavailableMaxMs()),
          seconds(r.detectP50Ms()),
          seconds(r.fenceP50Ms()),
          seconds(r.promoteP50Ms()),
          seconds(r.routeP50Ms()),
          r.acknowledged(),
          r.lost(),
          r.lostInLedger(),
          r.splitBrain(),
          r.reconciled() == null ? "-" : r.reconciled(),
          lagMillis(r.lagP99Ms()),
          lagMillis(r.sessionLagP99Ms()),
          r.passed() == r.runs() ? "PASS" : "FAIL (" + (r.runs() - r.passed()) + " failed)");
    }
    out.println(
        "times in seconds after the fault (detect/fence/promote/route: p50 of when the step"
            + " completed); unavail = longest gap between acknowledged orders (max); recon = lost"
            + " orders back on the new primary after the RPO ledger's replay; lag p99 = database"
            + " replay lag sampled every 150 ms over the whole load, all runs pooled; sess p99 ="
            + " session replication lag, highest run p99");
    for (DrillRunResult r : runs) {
      if (!r.passed()) {
        out.println("FAIL " + r.scenario() + " run " + r.run() + ":");
        r.failures().forEach(f -> out.println("  - " + f));
        r.decisions().forEach(d -> out.println("    " + d));
      }
    }
    out.flush();
  }

  private static String lagMillis(Double ms) {
    return ms == null ? "-" : String.format(Locale.ROOT, "%.1fms", ms);
  }

  private static String seconds(Double ms) {
    return ms == null ? "-" : String.format(Locale.ROOT, "%.2fs", ms / 1000);
  }

  /** Writes report.json and report.html into {@code dir}; returns the HTML file. */
  public Path write(Path dir) {
    try {
      Files.createDirectories(dir);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("generatedAt", Instant.now().toString());
      json.put("settings", settings);
      json.put("passed", allPassed());
      json.put("summary", rows());
      json.put("runs", runs);
      Files.writeString(
          dir.resolve("report.json"), JSON.writeValueAsString(json), StandardCharsets.UTF_8);
      Path html = dir.resolve("report.html");
      Files.writeString(html, html(), StandardCharsets.UTF_8);
      return html;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the drill report to " + dir, e);
    }
  }

  private String html() throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Trading DR drill</title>")
        .append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
        .append(".pass{color:#080}.fail{color:#c00}svg{border:1px solid #ddd;margin:4px 0}")
        .append("</style></head><body><h1>Trading DR drill</h1>");
    b.append("<p>")
        .append(escape(JSON.writeValueAsString(settings)))
        .append("</p><h2>Summary</h2><table><tr><th>scenario</th><th>mode</th><th>runs</th>")
        .append("<th>RTO p50</th><th>RTO max</th><th>unavailable max</th><th>detect</th>")
        .append("<th>fence</th><th>promote</th><th>route</th><th>acked</th><th>lost</th>")
        .append("<th>in ledger</th><th>split brain</th><th>reconciled</th><th>lag p99</th>")
        .append("<th>session lag p99</th><th>result</th></tr>");
    for (Row r : rows()) {
      b.append("<tr><td>")
          .append(escape(r.scenario()))
          .append("</td><td>")
          .append(r.mode())
          .append("</td><td>")
          .append(r.runs());
      for (Double v :
          new Double[] {
            r.rtoP50Ms(),
            r.rtoMaxMs(),
            r.unavailableMaxMs(),
            r.detectP50Ms(),
            r.fenceP50Ms(),
            r.promoteP50Ms(),
            r.routeP50Ms()
          }) {
        b.append("</td><td>").append(seconds(v));
      }
      b.append("</td><td>")
          .append(r.acknowledged())
          .append("</td><td>")
          .append(r.lost())
          .append("</td><td>")
          .append(r.lostInLedger())
          .append("</td><td>")
          .append(r.splitBrain())
          .append("</td><td>")
          .append(r.reconciled() == null ? "-" : r.reconciled())
          .append("</td><td>")
          .append(lagMillis(r.lagP99Ms()))
          .append("</td><td>")
          .append(lagMillis(r.sessionLagP99Ms()))
          .append("</td><td class=\"")
          .append(r.passed() == r.runs() ? "pass\">PASS" : "fail\">FAIL")
          .append("</td></tr>");
    }
    b.append("</table><p>Times after the fault.</p>");
    for (DrillRunResult r : runs) {
      b.append("<h2>")
          .append(escape(r.scenario()))
          .append(" run ")
          .append(r.run())
          .append(" (")
          .append(r.mode())
          .append("): <span class=\"")
          .append(r.passed() ? "pass\">PASS" : "fail\">FAIL")
          .append("</span></h2>");
      b.append(svg(r.timeline()));
      if (!r.failures().isEmpty()) {
        b.append("<ul>");
        r.failures()
            .forEach(f -> b.append("<li class=\"fail\">").append(escape(f)).append("</li>"));
        b.append("</ul>");
      }
      b.append("<details><summary>decisions</summary><pre>");
      r.decisions().forEach(d -> b.append(escape(d)).append('\n'));
      b.append("</pre></details>");
    }
    return b.append("</body></html>\n").toString();
  }

  /** Ok (green) and failed (red) requests per 100 ms, mean latency (blue line), step markers. */
  static String svg(DrillRunResult.Timeline timeline) {
    List<DrillRunResult.Bucket> buckets = timeline.buckets();
    int width = 900;
    int height = 220;
    int top = 20;
    int bottom = 30;
    int plot = height - top - bottom;
    int n = Math.max(1, buckets.size());
    double bar = (double) width / n;
    int maxCount = Math.max(1, buckets.stream().mapToInt(x -> x.ok() + x.failed()).max().orElse(1));
    double maxLatency =
        Math.max(
            1,
            buckets.stream()
                .map(DrillRunResult.Bucket::latencyMs)
                .filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(1));
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">",
            width,
            height));
    StringBuilder latency = new StringBuilder();
    for (int i = 0; i < buckets.size(); i++) {
      DrillRunResult.Bucket k = buckets.get(i);
      double x = i * bar;
      double okH = plot * k.ok() / (double) maxCount;
      double failH = plot * k.failed() / (double) maxCount;
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a4\"/>",
              x,
              top + plot - okH,
              Math.max(bar - 0.5, 0.5),
              okH));
      s.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#d33\"/>",
              x,
              top + plot - okH - failH,
              Math.max(bar - 0.5, 0.5),
              failH));
      if (k.latencyMs() != null) {
        latency.append(
            String.format(
                Locale.ROOT,
                "%.1f,%.1f ",
                x + bar / 2,
                top + plot - plot * k.latencyMs() / maxLatency));
      }
    }
    s.append("<polyline fill=\"none\" stroke=\"#36c\" stroke-width=\"1.5\" points=\"")
        .append(latency)
        .append("\"/>");
    double totalMs = n * 100.0;
    int row = 0;
    for (Map.Entry<String, Double> m : timeline.markers().entrySet()) {
      double x = width * m.getValue() / totalMs;
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\""
                  + " stroke-dasharray=\"3,2\"/><text x=\"%.1f\" y=\"%d\" font-size=\"10\">%s"
                  + " %.2fs</text>",
              x,
              top,
              x,
              top + plot,
              x + 2,
              top + 10 + 10 * (row++ % 6),
              escape(m.getKey()),
              m.getValue() / 1000));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"2\" y=\"%d\" font-size=\"10\">0 s</text><text x=\"%d\" y=\"%d\""
                + " font-size=\"10\" text-anchor=\"end\">%.1f s</text><text x=\"2\" y=\"12\""
                + " font-size=\"10\">green ok, red failed (max %d per 100 ms); blue mean latency"
                + " (max %.0f ms)</text>",
            height - 10,
            width - 2,
            height - 10,
            totalMs / 1000,
            maxCount,
            maxLatency));
    return s.append("</svg>").toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
