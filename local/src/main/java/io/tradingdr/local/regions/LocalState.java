package io.tradingdr.local.regions;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The run directory's state file ({@code state.properties}): which processes the local regions
 * started (PID and start time, so a recycled PID is never mistaken for ours), their endpoints, and
 * the supervisor that owns them. {@code drctl local status} and {@code down} read it.
 */
public final class LocalState {

  public static final String FILE_NAME = "state.properties";

  /**
   * A process we started, identified by PID and start time.
   *
   * @param startedAt the process's start time as the OS reports it (millisecond precision)
   */
  public record OwnedProcess(String name, long pid, Instant startedAt) {
    public OwnedProcess {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(startedAt, "startedAt");
    }

    public static OwnedProcess of(String name, ProcessHandle handle) {
      return new OwnedProcess(
          name,
          handle.pid(),
          handle
              .info()
              .startInstant()
              .orElseThrow(
                  () -> new IllegalStateException("no start time for PID " + handle.pid())));
    }

    /** The live process, only if it is still the one we started (same PID and start time). */
    public Optional<ProcessHandle> live() {
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(
              h ->
                  h.info()
                      .startInstant()
                      .map(s -> Duration.between(s, startedAt).abs().toMillis() < 1_000)
                      .orElse(false));
    }
  }

  private final OwnedProcess supervisor;
  private final List<OwnedProcess> processes;
  private final Map<String, String> endpoints;

  public LocalState(
      OwnedProcess supervisor, List<OwnedProcess> processes, Map<String, String> endpoints) {
    this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
    this.processes = List.copyOf(processes);
    this.endpoints = Map.copyOf(new LinkedHashMap<>(endpoints));
  }

  public OwnedProcess supervisor() {
    return supervisor;
  }

  public List<OwnedProcess> processes() {
    return processes;
  }

  /** Named endpoints, e.g. {@code region-a.service = http://127.0.1.1:40123}. */
  public Map<String, String> endpoints() {
    return endpoints;
  }

  public void write(Path runDir) {
    Properties props = new Properties();
    put(props, "supervisor", supervisor);
    for (int i = 0; i < processes.size(); i++) {
      put(props, "process." + i, processes.get(i));
    }
    endpoints.forEach((k, v) -> props.setProperty("endpoint." + k, v));
    Path file = runDir.resolve(FILE_NAME);
    Path tmp = runDir.resolve(FILE_NAME + ".tmp");
    try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      props.store(out, "Trading DR local regions: written by drctl local up, read by status/down");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + tmp, e);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static Optional<LocalState> read(Path runDir) {
    Path file = runDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    try {
      OwnedProcess supervisor = get(props, "supervisor");
      List<OwnedProcess> processes = new ArrayList<>();
      for (int i = 0; props.containsKey("process." + i + ".pid"); i++) {
        processes.add(get(props, "process." + i));
      }
      Map<String, String> endpoints = new TreeMap<>();
      for (String key : props.stringPropertyNames()) {
        if (key.startsWith("endpoint.")) {
          endpoints.put(key.substring("endpoint.".length()), props.getProperty(key));
        }
      }
      return Optional.of(new LocalState(supervisor, processes, endpoints));
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "state file "
              + file
              + " is damaged ("
              + e.getMessage()
              + "); remove it after checking"
              + " that no local region processes are left",
          e);
    }
  }

  public static void delete(Path runDir) {
    try {
      Files.deleteIfExists(runDir.resolve(FILE_NAME));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the state file in " + runDir, e);
    }
  }

  private static void put(Properties props, String prefix, OwnedProcess process) {
    props.setProperty(prefix + ".name", process.name());
    props.setProperty(prefix + ".pid", Long.toString(process.pid()));
    props.setProperty(prefix + ".startedAt", process.startedAt().toString());
  }

  private static OwnedProcess get(Properties props, String prefix) {
    String name = Objects.requireNonNull(props.getProperty(prefix + ".name"), prefix + ".name");
    String pid = Objects.requireNonNull(props.getProperty(prefix + ".pid"), prefix + ".pid");
    String startedAt =
        Objects.requireNonNull(props.getProperty(prefix + ".startedAt"), prefix + ".startedAt");
    return new OwnedProcess(name, Long.parseLong(pid), Instant.parse(startedAt));
  }
}
