package io.tradingdr.local.db;

import io.tradingdr.core.port.DatabaseReplication;
import io.tradingdr.core.port.PromotionMode;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.ReplicationStatus;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.port.Watermark;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.procs.PostgresNode;
import io.tradingdr.procs.ProcessFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@link DatabaseReplication} over PostgreSQL physical streaming replication between two nodes, one
 * per region: status from {@code pg_stat_replication} and the WAL positions, fencing by {@code
 * default_transaction_read_only} plus terminating client sessions, promotion by {@code pg_promote},
 * rejoin by {@code pg_rewind} (or a fresh {@code pg_basebackup} when rewind fails).
 *
 * <p>Fencing here is advisory (any session may turn read-only off again): the write lease is the
 * fence the service honours. In synchronous mode the writer names the standby in {@code
 * synchronous_standby_names}; a freshly promoted writer runs without a synchronous standby until
 * the old writer has rejoined, because commits would otherwise hang with nobody to confirm them.
 */
public final class PostgresStreamingReplication implements DatabaseReplication {

  /** Whether commits wait for the standby. */
  public enum Mode {
    SYNC,
    ASYNC
  }

  private static final String DATABASE = "postgres";
  private static final System.Logger LOG =
      System.getLogger(PostgresStreamingReplication.class.getName());

  private final Map<RegionId, PostgresNode> nodes;
  private final Mode mode;
  private final Duration connectTimeout;
  private volatile Optional<Duration> lastMeasuredLag = Optional.empty();

  /**
   * @param nodes exactly two regions and their nodes (running or not)
   * @param connectTimeout how long to wait for a node before calling it unreachable
   */
  public PostgresStreamingReplication(
      Map<RegionId, PostgresNode> nodes, Mode mode, Duration connectTimeout) {
    if (nodes.size() != 2) {
      throw new IllegalArgumentException(
          "streaming replication needs exactly two regions, was " + nodes.keySet());
    }
    this.nodes = Map.copyOf(new LinkedHashMap<>(nodes));
    this.mode = Objects.requireNonNull(mode, "mode");
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (connectTimeout.toSeconds() < 1) {
      throw new IllegalArgumentException(
          "connectTimeout must be at least 1 s, was " + connectTimeout);
    }
  }

  /**
   * Settings every node of a pair needs: enough WAL kept for a rewound node to catch up, and hot
   * standby reads. Pass them to {@link PostgresNode.Builder#settings(Map)}.
   */
  public static Map<String, String> nodeSettings() {
    return Map.of("wal_keep_size", "256MB", "hot_standby", "on", "max_wal_senders", "10");
  }

  /**
   * Builds the pair: an empty primary in {@code primary} (initdb, start), a standby cloned from it
   * in the other region ({@code pg_basebackup -R -X stream -C -S <slot>}), streaming, and in {@link
   * Mode#SYNC} the primary waiting for it on every commit.
   */
  public static PostgresStreamingReplication setUp(
      Map<RegionId, PostgresNode> nodes, RegionId primary, Mode mode, Duration timeout) {
    PostgresStreamingReplication replication =
        new PostgresStreamingReplication(nodes, mode, Duration.ofSeconds(1));
    PostgresNode writer = replication.node(primary);
    RegionId standbyRegion = replication.other(primary);
    PostgresNode standby = replication.node(standbyRegion);
    writer.initdb().start();
    standby.prepareDataDirectory();
    standby
        .tools()
        .run(
            "pg_basebackup",
            List.of(
                "-D",
                standby.dataDir().toString(),
                "-d",
                writer.conninfo(DATABASE),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "-C",
                "-S",
                slotName(standby)),
            timeout);
    standby.start();
    replication.awaitStreaming(writer, standby, timeout);
    if (mode == Mode.SYNC) {
      replication.requireSynchronousStandby(writer, standby);
    }
    return replication;
  }

  public Mode mode() {
    return mode;
  }

  public PostgresNode node(RegionId region) {
    PostgresNode node = nodes.get(region);
    if (node == null) {
      throw new IllegalArgumentException(
          "unknown region " + region + "; allowed: " + nodes.keySet());
    }
    return node;
  }

  @Override
  public ReplicationStatus status() {
    Map<RegionId, Optional<NodeState>> states = probeAll();
    Optional<RegionId> writer =
        states.entrySet().stream()
            .filter(e -> e.getValue().filter(s -> !s.inRecovery()).isPresent())
            // Two writers (split brain): the newest timeline is the one that was promoted last.
            .max(Comparator.comparingLong(e -> e.getValue().orElseThrow().timeline()))
            .map(Map.Entry::getKey);
    RegionId standby =
        writer
            .map(this::other)
            .orElseGet(
                () ->
                    states.entrySet().stream()
                        .filter(e -> e.getValue().filter(NodeState::inRecovery).isPresent())
                        .map(Map.Entry::getKey)
                        .findFirst()
                        .orElse(nodes.keySet().stream().sorted().toList().getLast()));
    Optional<NodeState> writerState = writer.flatMap(states::get);
    Optional<NodeState> standbyState = states.get(standby).filter(NodeState::inRecovery);
    Optional<Duration> lag = lag(writerState, standbyState, standby);
    boolean synchronous =
        writerState
            .map(
                s ->
                    !s.synchronousStandbyNames().isBlank()
                        && !s.synchronousCommit().equals("off")
                        && !s.synchronousCommit().equals("local"))
            .orElse(mode == Mode.SYNC);
    return new ReplicationStatus(
        writer,
        standby,
        lag,
        writerState.map(s -> new Watermark(s.flushLsn(), lsnLabel(s.flushLsn()), null)),
        standbyState.map(
            s -> new Watermark(s.replayLsn(), lsnLabel(s.replayLsn()), s.lastReplayAt())),
        synchronous);
  }

  private Optional<Duration> lag(
      Optional<NodeState> writer, Optional<NodeState> standby, RegionId standbyRegion) {
    if (standby.isEmpty()) {
      return Optional.empty();
    }
    NodeState s = standby.get();
    if (writer.isPresent()) {
      NodeState w = writer.get();
      Duration measured;
      if (s.replayLsn() >= w.flushLsn()) {
        measured = Duration.ZERO;
      } else {
        measured =
            w.replicaReplayLag(node(standbyRegion).clusterName())
                .orElseGet(
                    () ->
                        s.lastReplayAt() == null
                            ? Duration.ZERO
                            : positive(Duration.between(s.lastReplayAt(), w.now())));
      }
      lastMeasuredLag = Optional.of(measured);
      return lastMeasuredLag;
    }
    // The writer is gone: its last known lag, or more if the standby still has WAL to replay.
    Optional<Duration> known = lastMeasuredLag;
    if (s.receiveLsn() > s.replayLsn() && s.lastReplayAt() != null) {
      Duration pending = positive(Duration.between(s.lastReplayAt(), s.now()));
      return Optional.of(known.filter(k -> k.compareTo(pending) > 0).orElse(pending));
    }
    return known;
  }

  @Override
  public void fenceWriter(RegionId region) {
    PostgresNode node = node(region);
    try (Connection c = connect(node, Duration.ofSeconds(10));
        Statement st = c.createStatement()) {
      if (inRecovery(st)) {
        return;
      }
      st.execute("ALTER SYSTEM SET default_transaction_read_only = on");
      st.execute("SELECT pg_reload_conf()");
      st.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
              + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
    } catch (SQLException e) {
      throw unreachable("fenceWriter: PostgreSQL in " + region, node, e);
    }
    awaitReadOnly(region, node, true, Duration.ofSeconds(10));
  }

  /**
   * Cuts the standby's WAL receiver while the standby stays in recovery (a drill fault, like a
   * broken replication link): with an empty {@code primary_conninfo} the walreceiver exits on
   * reload (PostgreSQL 13+) and is not started again, so nothing the writer commits from then on
   * reaches the standby. Returns the {@code primary_conninfo} to hand back to {@link
   * #reconnectWalReceiver}.
   */
  public String cutWalReceiver(RegionId standby, Duration timeout) {
    PostgresNode node = node(standby);
    String conninfo;
    try (Connection c = connect(node, Duration.ofSeconds(10));
        Statement st = c.createStatement()) {
      if (!inRecovery(st)) {
        throw new RefusedException("cutWalReceiver: " + standby + " is not a standby");
      }
      try (ResultSet rs = st.executeQuery("SHOW primary_conninfo")) {
        rs.next();
        conninfo = rs.getString(1);
      }
      st.execute("ALTER SYSTEM SET primary_conninfo = ''");
      st.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw unreachable("cutWalReceiver: PostgreSQL in " + standby, node, e);
    }
    awaitWalReceiver(standby, node, false, timeout);
    return conninfo;
  }

  /**
   * Gives the node back the {@code primary_conninfo} {@link #cutWalReceiver} took; a standby starts
   * streaming again (on a writer the setting is kept for a later rejoin and has no effect).
   */
  public void reconnectWalReceiver(RegionId region, String primaryConninfo, Duration timeout) {
    PostgresNode node = node(region);
    boolean standby;
    try (Connection c = connect(node, Duration.ofSeconds(10));
        Statement st = c.createStatement()) {
      standby = inRecovery(st);
      st.execute(
          "ALTER SYSTEM SET primary_conninfo = '" + primaryConninfo.replace("'", "''") + "'");
      st.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw unreachable("reconnectWalReceiver: PostgreSQL in " + region, node, e);
    }
    if (standby) {
      awaitWalReceiver(region, node, true, timeout);
    }
  }

  private void awaitWalReceiver(
      RegionId region, PostgresNode node, boolean running, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection c = connect(node, Duration.ofSeconds(5));
          Statement st = c.createStatement()) {
        if (queryLong(st, "SELECT count(*) FROM pg_stat_wal_receiver") > 0 == running) {
          return;
        }
      } catch (SQLException e) {
        // Restarting: retry until the deadline.
      }
      sleep(Duration.ofMillis(25));
    }
    throw new UnreachableException(
        region + ": WAL receiver still " + (running ? "stopped" : "running") + " after " + timeout);
  }

  /**
   * Starts a stopped former writer for reading only, without rejoining it, so that what it
   * committed can be read (the RPO ledger) before {@code pg_rewind} discards it: {@code
   * default_transaction_read_only} goes into its {@code postgresql.auto.conf} before it starts, so
   * no session ever begins writable (the rejoin's rewind replaces that file).
   */
  public void startReadOnly(RegionId region, Duration timeout) {
    PostgresNode node = node(region);
    if (node.isRunning()) {
      throw new RefusedException("startReadOnly: PostgreSQL in " + region + " is running");
    }
    Path autoConf = node.dataDir().resolve("postgresql.auto.conf");
    try {
      Files.writeString(
          autoConf,
          "default_transaction_read_only = on\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot configure " + autoConf, e);
    }
    node.start();
    awaitReadOnly(region, node, true, timeout);
  }

  /**
   * The writer's view of its standby's stream from {@code pg_stat_replication}: write, flush and
   * replay lag (PostgreSQL shows NULL once the standby has caught up and the writer is idle; that
   * counts as zero here) and the bytes of WAL the standby has not replayed. Empty when no writer
   * can be reached or its standby does not stream (stopped, or its receiver cut).
   */
  public Optional<StreamLag> streamLag() {
    for (RegionId region : nodes.keySet().stream().sorted().toList()) {
      PostgresNode node = node(region);
      RegionId standby = other(region);
      try (Connection c = connect(node, Duration.ofSeconds(2));
          Statement st = c.createStatement()) {
        if (inRecovery(st)) {
          continue;
        }
        try (ResultSet rs =
            st.executeQuery(
                "SELECT EXTRACT(epoch FROM write_lag), EXTRACT(epoch FROM flush_lag),"
                    + " EXTRACT(epoch FROM replay_lag),"
                    + " pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint"
                    + " FROM pg_stat_replication WHERE state = 'streaming'"
                    + " AND application_name = '"
                    + node(standby).clusterName()
                    + "'")) {
          if (!rs.next()) {
            return Optional.empty();
          }
          long bytes = rs.getLong(4);
          return Optional.of(
              new StreamLag(
                  region,
                  standby,
                  seconds(rs, 1, bytes),
                  seconds(rs, 2, bytes),
                  seconds(rs, 3, bytes),
                  bytes));
        }
      } catch (SQLException e) {
        // Down or cut off: the other node may be the writer.
      }
    }
    return Optional.empty();
  }

  private static Optional<Duration> seconds(ResultSet rs, int column, long bytesBehind)
      throws SQLException {
    double value = rs.getDouble(column);
    if (rs.wasNull()) {
      return bytesBehind == 0 ? Optional.of(Duration.ZERO) : Optional.empty();
    }
    return Optional.of(Duration.ofNanos((long) (value * 1e9)));
  }

  /**
   * One sample of {@code pg_stat_replication} on the writer.
   *
   * @param write time until the standby wrote recent WAL (not yet flushed)
   * @param flush time until it flushed it to disk
   * @param replay time until it replayed it (visible to reads there)
   * @param bytesBehind WAL the writer has written and the standby not yet replayed
   */
  public record StreamLag(
      RegionId writer,
      RegionId standby,
      Optional<Duration> write,
      Optional<Duration> flush,
      Optional<Duration> replay,
      long bytesBehind) {}

  @Override
  public Watermark awaitCaughtUp(RegionId standby, Duration timeout) {
    RegionId writerRegion = other(standby);
    PostgresNode writer = node(writerRegion);
    long target;
    try (Connection c = connect(writer, Duration.ofSeconds(10));
        Statement st = c.createStatement()) {
      if (inRecovery(st)) {
        throw new RefusedException(
            "awaitCaughtUp: " + writerRegion + " is not a writer (it is in recovery)");
      }
      target = queryLong(st, "SELECT pg_current_wal_flush_lsn() - '0/0'::pg_lsn");
    } catch (SQLException e) {
      throw unreachable("awaitCaughtUp: writer in " + writerRegion, writer, e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    NodeState last = null;
    while (System.nanoTime() < deadline) {
      Optional<NodeState> state = probe(standby);
      if (state.isPresent()) {
        last = state.get();
        if (last.replayLsn() >= target) {
          return new Watermark(last.replayLsn(), lsnLabel(last.replayLsn()), last.lastReplayAt());
        }
      }
      sleep(Duration.ofMillis(10));
    }
    throw new UnreachableException(
        "awaitCaughtUp: "
            + standby
            + " replayed "
            + (last == null ? "(unreachable)" : lsnLabel(last.replayLsn()))
            + ", writer "
            + writerRegion
            + " flushed "
            + lsnLabel(target)
            + ", after "
            + timeout);
  }

  @Override
  public void promote(RegionId standby, PromotionMode promotionMode, Duration timeout) {
    PostgresNode node = node(standby);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Connection c = connect(node, timeout.plusSeconds(5));
        Statement st = c.createStatement()) {
      if (inRecovery(st)) {
        if (promotionMode == PromotionMode.NO_DATA_LOSS) {
          requireCaughtUp(standby, st);
        }
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
        boolean promoted = queryBoolean(st, "SELECT pg_promote(true, " + seconds + ")");
        if (!promoted && inRecovery(st)) {
          throw new UnreachableException(
              "promote: " + standby + " did not finish promotion within " + timeout);
        }
        // No synchronous standby until the old writer rejoins: commits would wait for nobody.
        st.execute("ALTER SYSTEM SET synchronous_standby_names = ''");
      }
      st.execute("ALTER SYSTEM RESET default_transaction_read_only");
      st.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw unreachable("promote: PostgreSQL in " + standby, node, e);
    }
    awaitReadOnly(standby, node, false, deadlineLeft(deadline));
    if (promotionMode == PromotionMode.NO_DATA_LOSS) {
      reprotectOldWriter(other(standby), standby, deadlineLeft(deadline));
    }
  }

  /**
   * After a planned switchover the old writer is fenced and has nothing the new one lacks: like
   * Aurora's switchover it becomes the new writer's standby at once, so the system is protected
   * (and synchronous again in {@link Mode#SYNC}) without waiting for a failback. A failure here
   * leaves the promotion in place; {@link #status()} shows the missing standby and a later {@link
   * #rejoinAsStandby} repairs it.
   */
  private void reprotectOldWriter(RegionId oldWriter, RegionId newWriter, Duration timeout) {
    if (probe(oldWriter).filter(s -> !s.inRecovery()).isEmpty()) {
      return;
    }
    try {
      rejoinAsStandby(oldWriter, newWriter, timeout);
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "switchover: {0} promoted, but {1} did not rejoin as its standby: {2}",
          newWriter,
          oldWriter,
          e.getMessage());
    }
  }

  private void requireCaughtUp(RegionId standby, Statement standbyStatement) throws SQLException {
    RegionId writerRegion = other(standby);
    Optional<NodeState> writer = probe(writerRegion).filter(s -> !s.inRecovery());
    if (writer.isEmpty()) {
      // The caller established the caught-up point (awaitCaughtUp) before the writer went away.
      return;
    }
    long replayed = queryLong(standbyStatement, "SELECT pg_last_wal_replay_lsn() - '0/0'::pg_lsn");
    if (replayed < writer.get().flushLsn()) {
      throw new RefusedException(
          "promote NO_DATA_LOSS: "
              + standby
              + " replayed "
              + lsnLabel(replayed)
              + " but writer "
              + writerRegion
              + " flushed "
              + lsnLabel(writer.get().flushLsn()));
    }
  }

  @Override
  public void rejoinAsStandby(RegionId oldWriter, RegionId newWriter, Duration timeout) {
    if (oldWriter.equals(newWriter)) {
      throw new IllegalArgumentException(
          "rejoinAsStandby: old and new writer are both " + oldWriter);
    }
    PostgresNode oldNode = node(oldWriter);
    PostgresNode newNode = node(newWriter);
    NodeState newState =
        probe(newWriter)
            .orElseThrow(
                () ->
                    new UnreachableException(
                        "rejoinAsStandby: new writer " + newWriter + " is unreachable"));
    if (newState.inRecovery()) {
      throw new RefusedException(
          "rejoinAsStandby: " + newWriter + " is still a standby; promote it first");
    }
    if (oldNode.isRunning()
        && probe(oldWriter).filter(NodeState::inRecovery).isPresent()
        && newState.streamingReplicas().contains(oldNode.clusterName())) {
      if (mode == Mode.SYNC) {
        requireSynchronousStandby(newNode, oldNode);
      }
      return;
    }
    try (Connection c = connect(newNode, timeout);
        Statement st = c.createStatement()) {
      // pg_rewind reads the source's control file: it must show the new timeline.
      st.execute("CHECKPOINT");
      st.execute(
          "SELECT pg_create_physical_replication_slot('"
              + slotName(oldNode)
              + "') WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '"
              + slotName(oldNode)
              + "')");
    } catch (SQLException e) {
      throw unreachable("rejoinAsStandby: new writer " + newWriter, newNode, e);
    }
    oldNode.stop();
    try {
      oldNode
          .tools()
          .run(
              "pg_rewind",
              List.of(
                  "-D",
                  oldNode.dataDir().toString(),
                  "--source-server=" + newNode.conninfo(DATABASE),
                  "--write-recovery-conf"),
              timeout);
    } catch (ProcessFailedException rewindFailed) {
      reclone(oldNode, newNode, timeout);
    }
    pointAtSlot(oldNode);
    oldNode.start();
    awaitStreaming(newNode, oldNode, timeout);
    if (mode == Mode.SYNC) {
      requireSynchronousStandby(newNode, oldNode);
    }
  }

  private void reclone(PostgresNode target, PostgresNode source, Duration timeout) {
    deleteContents(target.dataDir());
    target.prepareDataDirectory();
    target
        .tools()
        .run(
            "pg_basebackup",
            List.of(
                "-D",
                target.dataDir().toString(),
                "-d",
                source.conninfo(DATABASE),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "-S",
                slotName(target)),
            timeout);
  }

  /**
   * Makes the rejoined node stream through its own slot. pg_rewind copied the source's
   * postgresql.auto.conf (whose primary_slot_name names the source's old slot); a later line wins.
   */
  private static void pointAtSlot(PostgresNode node) {
    Path autoConf = node.dataDir().resolve("postgresql.auto.conf");
    Path signal = node.dataDir().resolve("standby.signal");
    try {
      Files.writeString(
          autoConf,
          "primary_slot_name = '" + slotName(node) + "'\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
      if (!Files.exists(signal)) {
        throw new IllegalStateException("rejoin left no standby.signal in " + node.dataDir());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot configure " + autoConf, e);
    }
  }

  private void requireSynchronousStandby(PostgresNode writer, PostgresNode standby) {
    try (Connection c = connect(writer, Duration.ofSeconds(10));
        Statement st = c.createStatement()) {
      st.execute(
          "ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 (\""
              + standby.clusterName()
              + "\")'");
      st.execute("ALTER SYSTEM SET synchronous_commit = 'on'");
      st.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw unreachable("synchronous replication on " + writer, writer, e);
    }
  }

  private void awaitStreaming(PostgresNode writer, PostgresNode standby, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection c = connect(writer, Duration.ofSeconds(5));
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT 1 FROM pg_stat_replication WHERE state = 'streaming'"
                      + " AND application_name = '"
                      + standby.clusterName()
                      + "'")) {
        if (rs.next()) {
          return;
        }
      } catch (SQLException e) {
        // Not up yet: retry until the deadline.
      }
      sleep(Duration.ofMillis(25));
    }
    throw new UnreachableException(
        standby + " is not streaming from " + writer + " after " + timeout);
  }

  private void awaitReadOnly(
      RegionId region, PostgresNode node, boolean readOnly, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String want = readOnly ? "on" : "off";
    String seen = "(no answer)";
    while (System.nanoTime() < deadline) {
      try (Connection c = connect(node, Duration.ofSeconds(5));
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SHOW transaction_read_only")) {
        rs.next();
        seen = rs.getString(1);
        if (seen.equals(want)) {
          return;
        }
      } catch (SQLException e) {
        seen = e.getMessage();
      }
      sleep(Duration.ofMillis(10));
    }
    throw new UnreachableException(
        region + ": new sessions still show transaction_read_only=" + seen + " after " + timeout);
  }

  /**
   * Both nodes' views, probed at the same time: a node behind a network cut costs one connect
   * timeout, not one plus the other node's answer.
   */
  private Map<RegionId, Optional<NodeState>> probeAll() {
    Map<RegionId, Future<Optional<NodeState>>> pending = new LinkedHashMap<>();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (RegionId region : nodes.keySet().stream().sorted().toList()) {
        pending.put(region, executor.submit(() -> probe(region)));
      }
      Map<RegionId, Optional<NodeState>> states = new LinkedHashMap<>();
      for (Map.Entry<RegionId, Future<Optional<NodeState>>> e : pending.entrySet()) {
        states.put(e.getKey(), e.getValue().get());
      }
      return states;
    } catch (ExecutionException e) {
      throw new IllegalStateException("probing the nodes failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException("interrupted while probing the nodes", e);
    }
  }

  /** One node's view, or empty when it cannot be reached. */
  Optional<NodeState> probe(RegionId region) {
    PostgresNode node = node(region);
    try (Connection c = connect(node, Duration.ofSeconds(5));
        Statement st = c.createStatement()) {
      NodeState state;
      try (ResultSet rs =
          st.executeQuery(
              """
              SELECT pg_is_in_recovery(),
                CASE WHEN pg_is_in_recovery() THEN 0
                  ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::bigint
                END,
                CASE WHEN pg_is_in_recovery() THEN 0
                  ELSE pg_current_wal_flush_lsn() - '0/0'::pg_lsn END,
                COALESCE(pg_last_wal_receive_lsn() - '0/0'::pg_lsn, 0),
                COALESCE(pg_last_wal_replay_lsn() - '0/0'::pg_lsn, 0),
                pg_last_xact_replay_timestamp(),
                current_setting('synchronous_standby_names'),
                current_setting('synchronous_commit'),
                now()
              """)) {
        rs.next();
        state =
            new NodeState(
                rs.getBoolean(1),
                rs.getLong(2),
                rs.getLong(3),
                rs.getLong(4),
                rs.getLong(5),
                instant(rs.getTimestamp(6)),
                rs.getString(7),
                rs.getString(8),
                instant(rs.getTimestamp(9)),
                Map.of());
      }
      if (!state.inRecovery()) {
        Map<String, Optional<Duration>> replicas = new LinkedHashMap<>();
        try (ResultSet rs =
            st.executeQuery(
                "SELECT application_name, state, EXTRACT(epoch FROM replay_lag)"
                    + " FROM pg_stat_replication")) {
          while (rs.next()) {
            if ("streaming".equals(rs.getString(2))) {
              double seconds = rs.getDouble(3);
              replicas.put(
                  rs.getString(1),
                  rs.wasNull()
                      ? Optional.empty()
                      : Optional.of(Duration.ofNanos((long) (seconds * 1e9))));
            }
          }
        }
        state = state.withReplicas(replicas);
      }
      return Optional.of(state);
    } catch (SQLException e) {
      return Optional.empty();
    }
  }

  /** What one query tells about a node. */
  record NodeState(
      boolean inRecovery,
      long timeline,
      long flushLsn,
      long receiveLsn,
      long replayLsn,
      Instant lastReplayAt,
      String synchronousStandbyNames,
      String synchronousCommit,
      Instant now,
      Map<String, Optional<Duration>> replicas) {

    NodeState withReplicas(Map<String, Optional<Duration>> streaming) {
      return new NodeState(
          inRecovery,
          timeline,
          flushLsn,
          receiveLsn,
          replayLsn,
          lastReplayAt,
          synchronousStandbyNames,
          synchronousCommit,
          now,
          Map.copyOf(streaming));
    }

    List<String> streamingReplicas() {
      return List.copyOf(replicas.keySet());
    }

    Optional<Duration> replicaReplayLag(String applicationName) {
      return replicas.getOrDefault(applicationName, Optional.empty());
    }
  }

  RegionId other(RegionId region) {
    node(region);
    return nodes.keySet().stream().filter(r -> !r.equals(region)).findFirst().orElseThrow();
  }

  /** A replication slot name from a cluster name: slots allow only a-z, 0-9 and '_'. */
  static String slotName(PostgresNode node) {
    return node.clusterName().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  private Connection connect(PostgresNode node, Duration socketTimeout) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", node.superuser());
    props.setProperty("connectTimeout", Long.toString(connectTimeout.toSeconds()));
    props.setProperty("socketTimeout", Long.toString(Math.max(1, socketTimeout.toSeconds())));
    props.setProperty("ApplicationName", "tdr-replication");
    return DriverManager.getConnection(node.jdbcUrl(DATABASE), props);
  }

  private static boolean inRecovery(Statement st) throws SQLException {
    return queryBoolean(st, "SELECT pg_is_in_recovery()");
  }

  private static boolean queryBoolean(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private static long queryLong(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static UnreachableException unreachable(String what, PostgresNode node, SQLException e) {
    return new UnreachableException(
        what + " (" + node.host() + ":" + node.port() + ") failed: " + e.getMessage(), e);
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static Duration deadlineLeft(long deadlineNanos) {
    return Duration.ofNanos(Math.max(1_000_000_000L, deadlineNanos - System.nanoTime()));
  }

  private static Duration positive(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }

  /** PostgreSQL's text form of an LSN: high and low 32 bits in hex. */
  static String lsnLabel(long lsn) {
    return Long.toHexString(lsn >>> 32).toUpperCase(java.util.Locale.ROOT)
        + "/"
        + Long.toHexString(lsn & 0xFFFF_FFFFL).toUpperCase(java.util.Locale.ROOT);
  }

  private static void deleteContents(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (!path.equals(dir)) {
          Files.delete(path);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot empty " + dir + " for a re-clone", e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException("interrupted", e);
    }
  }
}
