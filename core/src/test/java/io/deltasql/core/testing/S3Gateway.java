package io.deltasql.core.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;

/**
 * A loopback HTTP/1.1 proxy in front of the tests' S3 server (S3Proxy), for two things that
 * server lacks:
 *
 * <ul>
 *   <li><b>Conditional writes.</b> S3Proxy 2.6.0 ignores {@code If-None-Match: *} on PUT (checked:
 *       a second conditional PUT succeeds, and 8 racing ones all win). The gateway honours it as
 *       AWS S3 does: under one lock it asks the server (HEAD) whether the key exists, answers
 *       {@code 412 PreconditionFailed} if so, and forwards the PUT otherwise. Every write of the
 *       tests goes through it, so the check-then-put is atomic. {@link #honourConditionalWrites}
 *       turns this off to show the store as it is.</li>
 *   <li><b>Faults.</b> {@link #inject} makes the next matching requests fail: {@code 503 SlowDown},
 *       {@code 429}, {@code 500 InternalError}, or a connection dropped (reset) half-way through
 *       the request body, before anything reaches the server.</li>
 * </ul>
 *
 * <p>Requests and responses pass byte for byte (SigV4 signatures stay valid: the gateway only
 * drops the unsigned {@code Expect} header, answering {@code 100 Continue} itself, and sets
 * {@code Connection: close} towards the server, one server connection per request). Path-style
 * addressing only.
 */
public final class S3Gateway implements AutoCloseable {
  /** What an injected fault does. */
  public enum Fault {
    SLOW_DOWN_503(503, "SlowDown", "Please reduce your request rate."),
    TOO_MANY_REQUESTS_429(429, "TooManyRequests", "Too many requests."),
    INTERNAL_ERROR_500(500, "InternalError", "We encountered an internal error. Please try again."),
    /** Reads half the request body, then resets the connection; nothing reaches the server. */
    DROP_MID_BODY(0, null, null);

    final int status;
    final String code;
    final String message;

    Fault(int status, String code, String message) {
      this.status = status;
      this.code = code;
      this.message = message;
    }
  }

  /** Tells whether an object exists on the server (the gateway's own, direct, signed HEAD). */
  public interface ExistenceCheck {
    boolean exists(String bucket, String key);
  }

  private record Rule(String method, BiPredicate<String, String> target, Fault fault, AtomicInteger remaining) {}

  private final ServerSocket server;
  private final InetSocketAddress backend;
  private final ExistenceCheck existence;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "s3-gateway");
    t.setDaemon(true);
    return t;
  });
  private final Object conditionalLock = new Object();
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final AtomicInteger fired = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile boolean honourConditionalWrites = true;
  private volatile boolean closed;

  public S3Gateway(InetSocketAddress backend, ExistenceCheck existence) throws IOException {
    this.backend = backend;
    this.existence = existence;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Whether {@code If-None-Match: *} on PUT is honoured (default) or passed on to be ignored. */
  public void honourConditionalWrites(boolean honour) {
    honourConditionalWrites = honour;
  }

  /**
   * The next {@code times} requests with this method (or {@code *}) whose path and query
   * contain {@code targetContains} fail with {@code fault}.
   */
  public void inject(String method, String targetContains, Fault fault, int times) {
    rules.add(new Rule(method, (m, target) -> target.contains(targetContains), fault, new AtomicInteger(times)));
  }

  /** Removes every injected fault not yet fired and sets the count of fired ones back to 0. */
  public void clearFaults() {
    rules.clear();
    fired.set(0);
  }

  /** Faults fired so far. */
  public int faultsFired() {
    return fired.get();
  }

  /** Requests received so far. */
  public int requests() {
    return requests.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        if (!closed) {
          System.err.println("s3 gateway accept failed: " + e);
        }
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      while (true) {
        Head request = Head.read(in);
        if (request == null) {
          return;
        }
        requests.incrementAndGet();
        if (request.has("expect")) {
          out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          request = request.without("expect");
        }
        Rule rule = matchingRule(request);
        if (rule != null) {
          if (rule.fault == Fault.DROP_MID_BODY) {
            long half = Math.max(1, request.contentLength() / 2);
            in.readNBytes((int) Math.min(half, Integer.MAX_VALUE));
            client.setSoLinger(true, 0); // reset, not a clean close
            return;
          }
          drainBody(request, in);
          writeError(out, rule.fault.status, rule.fault.code, rule.fault.message);
          continue;
        }
        if (!forward(request, in, out)) {
          return;
        }
      }
    } catch (IOException e) {
      // the client went away; nothing to do
    }
  }

  private Rule matchingRule(Head request) {
    for (Rule rule : rules) {
      if ((rule.method.equals("*") || rule.method.equalsIgnoreCase(request.method()))
          && rule.target.test(request.method(), request.target())) {
        if (rule.remaining.getAndDecrement() > 0) {
          fired.incrementAndGet();
          return rule;
        }
        rules.remove(rule);
      }
    }
    return null;
  }

  /** Forwards one request; returns whether the client connection may carry another. */
  private boolean forward(Head request, InputStream in, OutputStream out) throws IOException {
    boolean conditional = honourConditionalWrites && request.method().equals("PUT")
        && "*".equals(request.header("if-none-match")) && !request.target().contains("partNumber=");
    if (!conditional) {
      return exchange(request, in, out);
    }
    synchronized (conditionalLock) {
      String[] bucketKey = request.bucketAndKey();
      if (existence.exists(bucketKey[0], bucketKey[1])) {
        drainBody(request, in);
        writeError(out, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
        return true;
      }
      return exchange(request, in, out);
    }
  }

  private boolean exchange(Head request, InputStream in, OutputStream out) throws IOException {
    try (Socket upstream = new Socket(backend.getAddress(), backend.getPort())) {
      OutputStream up = upstream.getOutputStream();
      request.without("connection").with("Connection", "close").write(up);
      copyBody(request, in, up);
      up.flush();
      InputStream down = new BufferedInputStream(upstream.getInputStream());
      Head response = Head.read(down);
      if (response == null) {
        throw new EOFException("server closed the connection without a response");
      }
      boolean noBody = request.method().equals("HEAD") || response.status() == 204 || response.status() == 304;
      boolean delimited = noBody || response.has("content-length") || response.isChunked();
      Head relayed = delimited ? response.without("connection") : response;
      relayed.write(out);
      if (!noBody) {
        if (delimited) {
          copyBody(response, down, out);
        } else {
          down.transferTo(out);
        }
      }
      out.flush();
      return delimited && !"close".equalsIgnoreCase(request.header("connection"));
    }
  }

  private static void drainBody(Head head, InputStream in) throws IOException {
    copyBody(head, in, OutputStream.nullOutputStream());
  }

  private static void copyBody(Head head, InputStream in, OutputStream out) throws IOException {
    if (head.isChunked()) {
      while (true) {
        String sizeLine = Head.line(in);
        out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        int semi = sizeLine.indexOf(';');
        long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
        if (size == 0) {
          String trailer;
          do {
            trailer = Head.line(in);
            out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          } while (!trailer.isEmpty());
          return;
        }
        copyExactly(in, out, size + 2); // the chunk and its CRLF
      }
    }
    copyExactly(in, out, head.contentLength());
  }

  private static void copyExactly(InputStream in, OutputStream out, long n) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    while (n > 0) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
      if (read < 0) {
        throw new EOFException("body ended " + n + " bytes early");
      }
      out.write(buffer, 0, read);
      n -= read;
    }
  }

  private static void writeError(OutputStream out, int status, String code, String message) throws IOException {
    byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
        + "</Message><RequestId>gateway</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " " + code + "\r\nContent-Type: application/xml\r\nContent-Length: "
        + body.length + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    threads.shutdownNow();
  }

  /** A request or response head: the first line and the header lines, as received. */
  private record Head(String first, List<String[]> headers) {
    static Head read(InputStream in) throws IOException {
      String first;
      try {
        first = line(in);
      } catch (EOFException e) {
        return null;
      }
      if (first.isEmpty()) {
        return null;
      }
      List<String[]> headers = new ArrayList<>();
      for (String l = line(in); !l.isEmpty(); l = line(in)) {
        int colon = l.indexOf(':');
        headers.add(new String[] {l.substring(0, colon), l.substring(colon + 1).trim()});
      }
      return new Head(first, headers);
    }

    static String line(InputStream in) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          throw new EOFException();
        }
        bytes.write(c);
      }
      String s = bytes.toString(StandardCharsets.ISO_8859_1);
      return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    String method() {
      return first.substring(0, first.indexOf(' '));
    }

    String target() {
      return first.split(" ")[1];
    }

    int status() {
      return Integer.parseInt(first.split(" ")[1]);
    }

    /** Path-style {@code /bucket/key?query}: the bucket and the decoded key. */
    String[] bucketAndKey() {
      String path = target();
      int q = path.indexOf('?');
      path = q < 0 ? path.substring(1) : path.substring(1, q);
      int slash = path.indexOf('/');
      String key = URLDecoder.decode(path.substring(slash + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
      return new String[] {path.substring(0, slash), key};
    }

    String header(String name) {
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          return h[1];
        }
      }
      return null;
    }

    boolean has(String name) {
      return header(name) != null;
    }

    long contentLength() {
      String v = header("content-length");
      return v == null ? 0 : Long.parseLong(v);
    }

    boolean isChunked() {
      String v = header("transfer-encoding");
      return v != null && v.toLowerCase(Locale.ROOT).contains("chunked");
    }

    Head without(String name) {
      List<String[]> kept = new ArrayList<>();
      headers.stream().filter(h -> !h[0].equalsIgnoreCase(name)).forEach(kept::add);
      return new Head(first, kept);
    }

    Head with(String name, String value) {
      List<String[]> more = new ArrayList<>(headers);
      more.add(new String[] {name, value});
      return new Head(first, more);
    }

    void write(OutputStream out) throws IOException {
      StringBuilder s = new StringBuilder(first).append("\r\n");
      headers.forEach(h -> s.append(h[0]).append(": ").append(h[1]).append("\r\n"));
      s.append("\r\n");
      out.write(s.toString().getBytes(StandardCharsets.ISO_8859_1));
    }
  }
}
