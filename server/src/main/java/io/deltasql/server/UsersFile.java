package io.deltasql.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.util.security.Credential;

/**
 * The users file of an authenticating server, in the format of Jetty's {@code HashLoginService}
 * (which Avatica's basic and digest options read): {@code name: credential, role...}. Only
 * hashed credentials are accepted, so that the file never holds a password:
 *
 * <ul>
 *   <li>basic: {@code MD5:} of the password, or {@code CRYPT:};
 *   <li>digest: {@code MD5:} of {@code name:Avatica:password} (the realm is Avatica's), since
 *       the server must recompute the client's digest from it.
 * </ul>
 *
 * <p>After the credential come the user's roles, {@code read-write} or {@code read-only}, and
 * for a read-write user, optionally, what they may change ({@link WriteGrants}):
 * {@code alice: MD5:…, read-write, write:sales, write:default.orders}.
 */
final class UsersFile {
  /** The realm of Avatica's basic and digest authentication. */
  static final String REALM = "Avatica";

  private UsersFile() {}

  /**
   * Checks that every user has a hashed credential of the right kind and well-formed grants
   * (names the line at fault), and returns the grants of each user who has {@code write:}
   * entries; the others may change everything their role allows.
   */
  static Map<String, WriteGrants> check(Path file, ServerConfig.Authentication authentication) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read the users file " + file + ": " + e.getMessage(), e);
    }
    int users = 0;
    Map<String, WriteGrants> grants = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      String credential = colon < 0 ? "" : line.substring(colon + 1).split(",")[0].trim().toUpperCase(Locale.ROOT);
      boolean hashed = credential.startsWith("MD5:")
          || credential.startsWith("CRYPT:") && authentication == ServerConfig.Authentication.BASIC;
      if (colon <= 0 || !hashed) {
        throw new IllegalArgumentException("Users file " + file + " line " + (i + 1) + ": expected 'name: "
            + (authentication == ServerConfig.Authentication.BASIC ? "MD5:…|CRYPT:…" : "MD5:…")
            + ", read-write|read-only' with a hashed password (bin/deltasql server --hash-password NAME)");
      }
      String[] fields = line.substring(colon + 1).split(",");
      List<String> writes = new ArrayList<>();
      boolean readOnly = false;
      for (int f = 1; f < fields.length; f++) {
        String role = fields[f].trim();
        readOnly |= role.equals(RemoteUser.READ_ONLY);
        if (role.toLowerCase(Locale.ROOT).startsWith(WriteGrants.PREFIX)) {
          writes.add(role);
        }
      }
      String name = line.substring(0, colon).trim();
      if (!writes.isEmpty()) {
        if (readOnly) {
          throw new IllegalArgumentException("Users file " + file + " line " + (i + 1) + ": user " + name
              + " is read-only and has write: grants; give read-write with the grants, or neither");
        }
        try {
          grants.put(name, WriteGrants.of(name, writes));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("Users file " + file + " line " + (i + 1) + ": " + e.getMessage(), e);
        }
      }
      users++;
    }
    if (users == 0) {
      throw new IllegalArgumentException("Users file " + file + " names no user");
    }
    return grants;
  }

  /** The credential of a password for basic authentication. */
  static String basicCredential(String password) {
    return Credential.MD5.digest(password);
  }

  /** The credential of a password for digest authentication. */
  static String digestCredential(String user, String password) {
    return Credential.MD5.digest(user + ":" + REALM + ":" + password);
  }
}
