package io.deltasql.server;

import io.deltasql.driver.Driver;
import io.deltasql.planner.Sessions;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.server.AvaticaHandler;
import org.apache.calcite.avatica.server.HandlerFactory;
import org.apache.calcite.avatica.server.HttpServer;
import org.apache.calcite.avatica.server.ServerCustomizer;
import org.apache.calcite.jdbc.CalciteConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Avatica HTTP server over the deltasql driver: {@link HttpServer.Builder} with a
 * {@link ServerMeta}. While it runs it holds one driver connection of its own, which keeps the
 * catalog runtime open between clients and lends the runtime's meter registry to
 * {@link ServerMetrics}. {@link #close} stops listening, closes every client connection (their
 * open transactions roll back) and then its own, which releases the catalog.
 */
public final class DeltaServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaServer.class);

  private final HttpServer http;
  private final ServerMeta meta;
  private final Connection own;
  private final ScheduledExecutorService expiry;
  private final String address;
  private boolean closed;

  private DeltaServer(HttpServer http, ServerMeta meta, Connection own, ScheduledExecutorService expiry,
      String address) {
    this.http = http;
    this.meta = meta;
    this.own = own;
    this.expiry = expiry;
    this.address = address;
  }

  /** Starts a server; it listens when this returns. */
  public static DeltaServer start(ServerConfig config) throws SQLException {
    String url = config.require(ServerProperty.URL);
    Connection own = new Driver().connect(url, new Properties());
    if (own == null) {
      throw new IllegalArgumentException("Not a deltasql URL: " + redact(url));
    }
    try {
      MeterRegistry registry = Sessions.of(own.unwrap(CalciteConnection.class).getRootSchema()).runtime().registry();
      ServerMetrics metrics = new ServerMetrics(registry);
      String host = config.require(ServerProperty.HOST);
      HttpServer.Builder<Server> builder = HttpServer.Builder.<Server>newBuilder()
          .withPort(config.integer(ServerProperty.PORT));
      boolean tls = tls(builder, config);
      builder.withServerCustomizers(List.of(bindTo(host)), Server.class);
      Map<String, WriteGrants> grants = authentication(builder, config);
      ServerMeta meta = new ServerMeta(config, metrics, grants);
      metrics.openConnections(meta::openConnections);
      AvaticaHandler avatica = new HandlerFactory().getHandler(
          new LocalService(MetaBoundary.wrap(meta, metrics)), config.serialization());
      builder.withHandler(new ServerHandler(avatica, metrics));
      HttpServer http = builder.build();
      http.start();
      String address = (tls ? "https" : "http") + "://" + host + ":" + http.getPort();
      ScheduledExecutorService expiry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "deltasql-server-expiry");
        t.setDaemon(true);
        return t;
      });
      long period = Math.max(100, config.seconds(ServerProperty.CONNECTION_IDLE_TIMEOUT).toMillis() / 4);
      expiry.scheduleWithFixedDelay(meta::expireIdle, period, period, TimeUnit.MILLISECONDS);
      LOG.info("deltasql server listening on {} serialization={} authentication={} url={}", address,
          config.serialization().name().toLowerCase(java.util.Locale.ROOT),
          config.authentication().name().toLowerCase(java.util.Locale.ROOT), redact(url));
      return new DeltaServer(http, meta, own, expiry, address);
    } catch (RuntimeException | SQLException e) {
      own.close();
      throw e;
    }
  }

  private static ServerCustomizer<Server> bindTo(String host) {
    return server -> {
      for (Connector connector : server.getConnectors()) {
        ((ServerConnector) connector).setHost(host);
      }
    };
  }

  /** Sets up authentication; returns the write grants of the users file. */
  private static Map<String, WriteGrants> authentication(HttpServer.Builder<Server> builder, ServerConfig config) {
    ServerConfig.Authentication authentication = config.authentication();
    if (authentication == ServerConfig.Authentication.NONE) {
      return Map.of();
    }
    String users = config.get(ServerProperty.USERS).orElseThrow(() -> new IllegalArgumentException(
        "authentication=" + authentication.name().toLowerCase(java.util.Locale.ROOT) + " needs a users file (users=FILE)"));
    Map<String, WriteGrants> grants = UsersFile.check(java.nio.file.Path.of(users), authentication);
    String[] roles = {RemoteUser.READ_WRITE, RemoteUser.READ_ONLY};
    if (authentication == ServerConfig.Authentication.BASIC) {
      builder.withBasicAuthentication(users, roles);
    } else {
      builder.withDigestAuthentication(users, roles);
    }
    return grants;
  }

  private static boolean tls(HttpServer.Builder<Server> builder, ServerConfig config) {
    if (config.get(ServerProperty.TLS_KEYSTORE).isEmpty()) {
      return false;
    }
    File keystore = new File(config.require(ServerProperty.TLS_KEYSTORE));
    String password = config.require(ServerProperty.TLS_KEYSTORE_PASSWORD);
    File truststore = config.get(ServerProperty.TLS_TRUSTSTORE).map(File::new).orElse(keystore);
    String trustPassword = config.get(ServerProperty.TLS_TRUSTSTORE_PASSWORD).orElse(password);
    builder.withTLS(keystore, password, truststore, trustPassword,
        keystore.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12");
    return true;
  }

  /** A URL with its passwords and S3 credentials masked, for logs. */
  static String redact(String url) {
    return io.deltasql.driver.ConnectionUrl.redact(url);
  }

  /** The port the server listens on. */
  public int port() {
    return http.getPort();
  }

  /** Where clients connect: {@code http[s]://host:port}. */
  public String address() {
    return address;
  }

  /** Waits until the server stops. */
  public void join() throws InterruptedException {
    http.join();
  }

  /** Open remote connections. */
  int openConnections() {
    return meta.openConnections();
  }

  /** Closes idle connections now (the scheduled sweep does it every quarter of the timeout). */
  void expireIdle() {
    meta.expireIdle();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("deltasql server on {} stopping", address);
    try {
      http.stop();
    } finally {
      expiry.shutdownNow();
      meta.closeAll();
      try {
        own.close();
      } catch (SQLException e) {
        LOG.warn("closing the server's own connection failed: {}", e.toString());
      }
      LOG.info("deltasql server on {} stopped", address);
    }
  }
}
