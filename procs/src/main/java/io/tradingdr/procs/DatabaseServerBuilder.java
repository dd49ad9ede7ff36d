package io.tradingdr.procs;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The settings a database server on a data directory adds (PostgreSQL, MariaDB): the data
 * directory, the unprivileged user its binaries run as when this JVM is root, and extra server
 * settings.
 */
abstract class DatabaseServerBuilder<B extends DatabaseServerBuilder<B>> extends ServerBuilder<B> {
  Path dataDir;
  String osUser;
  final Map<String, String> settings = new LinkedHashMap<>();

  DatabaseServerBuilder(String defaultOsUser) {
    this.osUser = defaultOsUser;
  }

  /** Required. */
  public B dataDir(Path dataDir) {
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    return self();
  }

  /** The unprivileged user the binaries run as when this JVM is root. */
  public B osUser(String osUser) {
    this.osUser = Objects.requireNonNull(osUser, "osUser");
    return self();
  }

  /** One more server setting, passed on the server's command line. */
  public B setting(String name, String value) {
    settings.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return self();
  }

  final void requireDataDir() {
    if (dataDir == null) {
      throw new IllegalStateException("dataDir is required");
    }
  }
}
