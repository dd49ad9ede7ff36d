package io.tradingdr.local.regions;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
import java.util.function.Function;

/**
 * The run directory's state file ({@code state.properties}): which processes the local regions
 * started (PID and start time, so a recycled PID is never mistaken for ours), their endpoints, and
 * the supervisor that owns them, and the settings the regions were started with. {@code drctl local
 * status} and {@code down} read it; an attached process ({@link LocalRegions#attach}) rebuilds the
 * regions from it and records every process it starts in it.
 *
 * <p>Several processes write it (the supervisor, attached drctl commands): every change is a
 * read-modify-write under an exclusive lock on {@code state.lock} ({@link #update}), and the file
 * is replaced atomically (written to a temporary file, then renamed), so a reader never sees half a
 * file.
 */
public final class LocalState {

  public static final String FILE_NAME = "state.properties";

  private static final String LOCK_FILE = "state.lock";

  /** File locks are per JVM: threads of one JVM (a test's supervisor and attach) queue here. */
  private static final Object IN_PROCESS = new Object();

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
  private final Map<String, String> settings;

  public LocalState(
      OwnedProcess supervisor, List<OwnedProcess> processes, Map<String, String> endpoints) {
    this(supervisor, processes, endpoints, Map.of());
  }

  /**
   * @param settings what the regions were started with ({@code mode}, {@code serviceJar}, ...), for
   *     processes that attach to them
   */
  public LocalState(
      OwnedProcess supervisor,
      List<OwnedProcess> processes,
      Map<String, String> endpoints,
      Map<String, String> settings) {
    this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
    this.processes = List.copyOf(processes);
    this.endpoints = Map.copyOf(new LinkedHashMap<>(endpoints));
    this.settings = Map.copyOf(new LinkedHashMap<>(settings));
  }

  /** This state with {@code process} recorded, replacing an earlier entry of the same name. */
  public LocalState withProcess(OwnedProcess process) {
    List<OwnedProcess> next = new ArrayList<>(processes);
    next.removeIf(p -> p.name().equals(process.name()));
    next.add(process);
    return new LocalState(supervisor, next, endpoints, settings);
  }

  public LocalState withEndpoints(Map<String, String> more) {
    Map<String, String> next = new LinkedHashMap<>(endpoints);
    next.putAll(more);
    return new LocalState(supervisor, processes, next, settings);
  }

  /** The recorded process of that name, if any (alive or not). */
  public Optional<OwnedProcess> process(String name) {
    return processes.stream().filter(p -> p.name().equals(name)).findFirst();
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

  /** The settings the regions were started with, by name. */
  public Map<String, String> settings() {
    return settings;
  }

  /** The endpoint of that name, or IllegalStateException naming the damaged state file. */
  public String endpoint(String name) {
    String value = endpoints.get(name);
    if (value == null) {
      throw new IllegalStateException("the state file has no endpoint '" + name + "'");
    }
    return value;
  }

  /**
   * Applies {@code change} to the current state (empty when there is no state file) and writes the
   * result, holding the run directory's state lock so that concurrent writers (the supervisor and
   * attached commands) do not lose each other's entries. Returns what was written.
   */
  public static LocalState update(Path runDir, Function<Optional<LocalState>, LocalState> change) {
    synchronized (IN_PROCESS) {
      return locked(
          runDir,
          () -> {
            LocalState next = change.apply(read(runDir));
            next.write(runDir);
            return next;
          });
    }
  }

  private static <T> T locked(Path runDir, java.util.function.Supplier<T> action) {
    try (FileChannel channel =
        FileChannel.open(
            runDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = channel.lock();
      try {
        return action.get();
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock the state file in " + runDir, e);
    }
  }

  /** Writes the file atomically; concurrent writers must go through {@link #update}. */
  public void write(Path runDir) {
    Properties props = new Properties();
    put(props, "supervisor", supervisor);
    for (int i = 0; i < processes.size(); i++) {
      put(props, "process." + i, processes.get(i));
    }
    endpoints.forEach((k, v) -> props.setProperty("endpoint." + k, v));
    settings.forEach((k, v) -> props.setProperty("setting." + k, v));
    Path file = runDir.resolve(FILE_NAME);
    Path tmp = runDir.resolve(FILE_NAME + "." + ProcessHandle.current().pid() + ".tmp");
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
      Map<String, String> settings = new TreeMap<>();
      for (String key : props.stringPropertyNames()) {
        if (key.startsWith("endpoint.")) {
          endpoints.put(key.substring("endpoint.".length()), props.getProperty(key));
        } else if (key.startsWith("setting.")) {
          settings.put(key.substring("setting.".length()), props.getProperty(key));
        }
      }
      return Optional.of(new LocalState(supervisor, processes, endpoints, settings));
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
    synchronized (IN_PROCESS) {
      locked(
          runDir,
          () -> {
            try {
              return Files.deleteIfExists(runDir.resolve(FILE_NAME));
            } catch (IOException e) {
              throw new UncheckedIOException("cannot delete the state file in " + runDir, e);
            }
          });
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
