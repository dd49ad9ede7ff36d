package io.tradingdr.procs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stops, on JVM shutdown, every supervised process that is still running. Each supervisor registers
 * itself when it starts a process and unregisters when it has stopped it, so only processes this
 * JVM started are ever touched.
 */
final class ProcessReaper {

  /** Something that can stop the processes it started, quickly and without throwing. */
  interface Stoppable {
    void stopOnShutdown();
  }

  private static final Set<Stoppable> LIVE = ConcurrentHashMap.newKeySet();
  private static final Set<Path> DELETE_AFTER = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::stopAll, "procs-reaper"));
  }

  private ProcessReaper() {}

  static void register(Stoppable stoppable) {
    LIVE.add(stoppable);
  }

  static void unregister(Stoppable stoppable) {
    LIVE.remove(stoppable);
  }

  /** Deletes {@code dir} recursively on JVM shutdown, after every process is stopped. */
  static void deleteAfterStop(Path dir) {
    DELETE_AFTER.add(dir);
  }

  private static void stopAll() {
    List<Stoppable> snapshot = new ArrayList<>(LIVE);
    for (Stoppable stoppable : snapshot) {
      try {
        stoppable.stopOnShutdown();
      } catch (RuntimeException e) {
        System.err.println("procs: could not stop a supervised process on shutdown: " + e);
      }
    }
    for (Path dir : DELETE_AFTER) {
      deleteRecursively(dir);
    }
  }

  private static void deleteRecursively(Path dir) {
    // Two passes: a process that was just stopped may still have been writing during the first.
    for (int pass = 0; pass < 2 && Files.exists(dir); pass++) {
      try {
        Files.walkFileTree(
            dir,
            new SimpleFileVisitor<>() {
              @Override
              public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                deleteQuietly(file);
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult postVisitDirectory(Path d, IOException e) {
                deleteQuietly(d);
                return FileVisitResult.CONTINUE;
              }
            });
      } catch (IOException e) {
        System.err.println("procs: could not delete " + dir + ": " + e);
      }
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Best effort at exit: what remains stays in the temporary directory.
    }
  }
}
