package io.tradingdr.local.orchestration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.rpo.RpoLedger;
import io.tradingdr.core.rpo.RpoLedgerStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link RpoLedgerStore} in a directory: one JSON file per failover run ({@code <runId>.json}),
 * written to a temporary file and moved into place, so a reader never sees half a ledger.
 */
public final class FileRpoLedgerStore implements RpoLedgerStore {

  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private final Path directory;
  private final ObjectMapper json =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  public FileRpoLedgerStore(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  @Override
  public void save(RpoLedger ledger) {
    Path file = file(ledger.failoverRunId());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(directory);
      json.writeValue(tmp.toFile(), ledger);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UnreachableException("cannot write RPO ledger " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<RpoLedger> find(String failoverRunId) {
    Path file = file(failoverRunId);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(json.readValue(file.toFile(), RpoLedger.class));
    } catch (IOException e) {
      throw new UnreachableException("cannot read RPO ledger " + file + ": " + e.getMessage(), e);
    }
  }

  private Path file(String runId) {
    if (!RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException(
          "run id '" + runId + "' is invalid: use 1-128 letters, digits, '.', '_' or '-'");
    }
    return directory.resolve(runId + ".json");
  }
}
