package io.deltasql.server;

import java.security.Principal;
import javax.servlet.http.HttpServletRequest;

/**
 * Who sent the request being served, and whether they may write: the authenticated HTTP user
 * and their role ({@value #READ_WRITE} or {@value #READ_ONLY}), or {@link #ANONYMOUS} when the
 * server runs without authentication. Set by {@link ServerHandler} for the request's thread.
 */
record RemoteUser(String name, boolean writable) {
  /** Role of users who may change tables. */
  static final String READ_WRITE = "read-write";
  /** Role of users who may only read; their connections are read-only. */
  static final String READ_ONLY = "read-only";
  /** Everyone, on a server without authentication: what the deltasql URL allows. */
  static final RemoteUser ANONYMOUS = new RemoteUser("anonymous", true);

  private static final ThreadLocal<RemoteUser> CURRENT = new ThreadLocal<>();

  /** The user of an authenticated request (read-write only with that role), or anonymous. */
  static RemoteUser of(HttpServletRequest request) {
    Principal principal = request.getUserPrincipal();
    if (principal == null) {
      return ANONYMOUS;
    }
    return new RemoteUser(principal.getName(), request.isUserInRole(READ_WRITE));
  }

  /** The user of the request this thread serves. */
  static RemoteUser current() {
    RemoteUser user = CURRENT.get();
    return user != null ? user : ANONYMOUS;
  }

  /** Makes this the user of the request this thread serves, until {@link #clear}. */
  void bind() {
    CURRENT.set(this);
  }

  /** Ends the request this thread served. */
  static void clear() {
    CURRENT.remove();
  }
}
