package io.tradingdr.core.run;

import io.tradingdr.core.port.JournalEntry;
import io.tradingdr.core.port.JournalEntry.Phase;
import io.tradingdr.core.port.RunJournal;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.rpo.FailoverRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads runs back from the journal. */
public final class RunHistory {

  /** The journal step name of the entries that open and close a run. */
  public static final String RUN_STEP = "run";

  private final RunJournal journal;

  public RunHistory(RunJournal journal) {
    this.journal = journal;
  }

  /** The most recent runs, newest first. */
  public List<RunSummary> recent(int limit) {
    List<RunSummary> out = new ArrayList<>();
    for (String runId : journal.recentRuns(limit)) {
      summarize(journal.entries(runId)).ifPresent(out::add);
    }
    return out;
  }

  /** The newest run whose journal has no terminal {@code run} entry. */
  public Optional<String> unfinished(int lookback) {
    for (String runId : journal.recentRuns(lookback)) {
      List<JournalEntry> entries = journal.entries(runId);
      if (!entries.isEmpty() && terminal(entries).isEmpty()) {
        return Optional.of(runId);
      }
    }
    return Optional.empty();
  }

  /** The most recent run (newest first) that promoted a database, within the lookback. */
  public Optional<RunSummary> lastPromotion(int lookback) {
    return recent(lookback).stream().filter(r -> r.promotedAt().isPresent()).findFirst();
  }

  /** All facts of a run: every entry's attributes in sequence, later entries winning. */
  public static Map<String, String> facts(List<JournalEntry> entries) {
    Map<String, String> facts = new LinkedHashMap<>();
    for (JournalEntry e : entries) {
      if (e.phase() == Phase.STARTED) {
        e.attributes().forEach(facts::putIfAbsent);
      } else {
        facts.putAll(e.attributes());
      }
    }
    return facts;
  }

  static Optional<JournalEntry> terminal(List<JournalEntry> entries) {
    return entries.stream()
        .filter(e -> e.step().equals(RUN_STEP) && e.phase() != Phase.STARTED)
        .reduce((a, b) -> b);
  }

  public static Optional<RunSummary> summarize(List<JournalEntry> entries) {
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    JournalEntry first = entries.getFirst();
    Map<String, String> facts = facts(entries);
    Optional<JournalEntry> end = terminal(entries);
    RunOutcome outcome =
        end.map(
                e ->
                    switch (e.phase()) {
                      case COMPLETED -> RunOutcome.COMPLETED;
                      case REFUSED -> RunOutcome.REFUSED;
                      default -> RunOutcome.FAILED;
                    })
            .orElse(RunOutcome.IN_PROGRESS);
    List<RunSummary.StepSummary> steps = new ArrayList<>();
    Map<String, JournalEntry> open = new LinkedHashMap<>();
    Optional<Instant> promotedAt = Optional.empty();
    for (JournalEntry e : entries) {
      if (e.step().equals(RUN_STEP)) {
        continue;
      }
      if (e.phase() == Phase.STARTED) {
        JournalEntry previous = open.put(e.step(), e);
        if (previous != null) {
          steps.add(
              new RunSummary.StepSummary(
                  previous.step(), "STARTED", previous.reason(), previous.at(), Optional.empty()));
        }
      } else {
        JournalEntry started = open.remove(e.step());
        Instant startedAt = started == null ? e.at() : started.at();
        steps.add(
            new RunSummary.StepSummary(
                e.step(),
                e.phase().name(),
                e.reason(),
                startedAt,
                Optional.of(Duration.between(startedAt, e.at()))));
        if (e.step().equals(RunState.PROMOTE.step()) && e.phase() == Phase.COMPLETED) {
          promotedAt = Optional.of(e.at());
        }
      }
    }
    open.values()
        .forEach(
            s ->
                steps.add(
                    new RunSummary.StepSummary(
                        s.step(), "STARTED", s.reason(), s.at(), Optional.empty())));
    JournalEntry last = entries.getLast();
    return Optional.of(
        new RunSummary(
            first.runId(),
            facts.getOrDefault(Facts.KIND, "unknown"),
            facts.getOrDefault(Facts.TRIGGER, "unknown"),
            facts.getOrDefault(Facts.FROM, ""),
            facts.getOrDefault(Facts.TO, ""),
            outcome,
            first.at(),
            end.map(JournalEntry::at),
            end.map(JournalEntry::reason).orElse(last.reason()),
            promotedAt,
            steps));
  }

  /**
   * The RPO facts of the newest completed failover that moved the writer from {@code oldWriter} to
   * {@code newWriter}, if that failover is the latest run that promoted anything.
   */
  public Optional<FailoverRecord> lastFailover(
      RegionId oldWriter, RegionId newWriter, int lookback) {
    for (String runId : journal.recentRuns(lookback)) {
      List<JournalEntry> entries = journal.entries(runId);
      Optional<RunSummary> summary = summarize(entries);
      if (summary.isEmpty() || summary.get().promotedAt().isEmpty()) {
        continue;
      }
      RunSummary run = summary.get();
      if (!run.kind().equals(RunKind.FAILOVER.name())
          || !run.from().equals(oldWriter.value())
          || !run.to().equals(newWriter.value())) {
        return Optional.empty();
      }
      Map<String, String> facts = facts(entries);
      return Optional.of(
          new FailoverRecord(
              runId,
              oldWriter,
              newWriter,
              run.promotedAt().get(),
              Facts.watermark(facts, Facts.PROMOTE_STANDBY_WATERMARK),
              Facts.watermark(facts, Facts.PROMOTE_WRITER_WATERMARK)));
    }
    return Optional.empty();
  }
}
