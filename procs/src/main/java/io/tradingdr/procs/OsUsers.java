package io.tradingdr.procs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Facts about operating-system users, read from the system rather than guessed. */
final class OsUsers {

  private OsUsers() {}

  static boolean currentUserIsRoot() {
    try {
      // /proc/self/status: "Uid: real effective saved fs"; the effective uid decides.
      for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException e) {
      // No /proc: fall back to the name the JVM reports.
    }
    return "root".equals(System.getProperty("user.name"));
  }

  static boolean exists(String user) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8);
      if (lines.stream().anyMatch(line -> line.startsWith(user + ":"))) {
        return true;
      }
      Process getent = new ProcessBuilder("getent", "passwd", user).start();
      return getent.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
