package io.deltasql.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A local folder in which no file can be created, renamed or deleted until {@link #close}: a
 * failing file system for every process writing there. Permissions do not stop root, so as root
 * the folder is made immutable ({@code chattr +i}, which needs {@code CAP_LINUX_IMMUTABLE} and a
 * file system that has the attribute); otherwise its write permission is taken away.
 * {@link #works} tells whether either takes effect on this machine.
 */
final class UnwritableDirectory implements AutoCloseable {
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private final Path dir;
  private final Set<PosixFilePermission> permissions;

  private UnwritableDirectory(Path dir, Set<PosixFilePermission> permissions) {
    this.dir = dir;
    this.permissions = permissions;
  }

  /** Makes {@code dir} refuse writes until closed. */
  static UnwritableDirectory lock(Path dir) throws IOException {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
    if (ROOT) {
      chattr("+i", dir);
    } else {
      Files.setPosixFilePermissions(dir, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE));
    }
    return new UnwritableDirectory(dir, permissions);
  }

  /** Whether a folder below {@code scratch} really refuses a new file once locked. */
  static boolean works(Path scratch) throws IOException {
    Path dir = Files.createTempDirectory(scratch, "unwritable-probe-");
    boolean refused;
    try (UnwritableDirectory locked = lock(dir)) {
      try {
        Files.createFile(dir.resolve("probe"));
        refused = false;
      } catch (IOException e) {
        refused = true;
      }
    } catch (IOException e) {
      refused = false; // chattr missing or not permitted
    }
    Files.deleteIfExists(dir.resolve("probe"));
    Files.delete(dir);
    return refused;
  }

  /** Makes the folder writable again. */
  @Override
  public void close() throws IOException {
    if (ROOT) {
      chattr("-i", dir);
    } else {
      Files.setPosixFilePermissions(dir, permissions);
    }
  }

  private static void chattr(String change, Path dir) throws IOException {
    Process chattr = new ProcessBuilder(List.of("chattr", change, dir.toString())).redirectErrorStream(true).start();
    try {
      if (!chattr.waitFor(10, TimeUnit.SECONDS) || chattr.exitValue() != 0) {
        chattr.destroyForcibly();
        throw new IOException("chattr " + change + " " + dir + " failed: "
            + new String(chattr.getInputStream().readAllBytes()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running chattr " + change + " " + dir, e);
    }
  }
}
