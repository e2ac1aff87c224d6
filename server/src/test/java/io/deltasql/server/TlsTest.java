package io.deltasql.server;

import static io.deltasql.server.Remote.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS: a server with {@code tls.keystore} (a self-signed certificate for 127.0.0.1 made by
 * the JDK's keytool) serves the Avatica remote driver over https when the client trusts the
 * certificate ({@code truststore}, {@code truststore_password}); a plain-HTTP request is not
 * served, and a client that does not trust the certificate fails its handshake, saying why.
 */
class TlsTest {
  private static final String PASSWORD = "changeit-test";

  @TempDir
  Path warehouse;
  @TempDir
  Path etc;

  @Test
  void httpsWithTrustedCertificateOnly() throws Exception {
    Path keystore = etc.resolve("server.p12");
    Path certificate = etc.resolve("server.crt");
    Path truststore = etc.resolve("client-trust.p12");
    keytool("-genkeypair", "-alias", "deltasql", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "deltasql", "-keystore", keystore.toString(), "-storepass", PASSWORD,
        "-file", certificate.toString());
    keytool("-importcert", "-noprompt", "-alias", "deltasql", "-file", certificate.toString(),
        "-storetype", "PKCS12", "-keystore", truststore.toString(), "-storepass", PASSWORD);

    try (Remote remote = Remote.start(warehouse, c -> c.with(ServerProperty.TLS_KEYSTORE, keystore.toString())
        .with(ServerProperty.TLS_KEYSTORE_PASSWORD, PASSWORD))) {
      assertTrue(remote.server.address().startsWith("https://127.0.0.1:"), remote.server.address());

      try (Connection c = remote.connect("truststore=" + truststore, "truststore_password=" + PASSWORD);
           Statement s = c.createStatement()) {
        s.execute("create table t (id int)");
        assertEquals(2, s.executeUpdate("insert into t values (1), (2)"));
        assertEquals(List.of("2"), rows(s, "select count(*) from t"));
      }

      // Plain HTTP to the TLS port: the connection is closed, nothing is served. (Avatica's own
      // client, given http:// here, takes that for a lost response and retries without end.)
      try {
        HttpResponse<String> plain = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(remote.server.address().replace("https://", "http://")))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(plain.statusCode() >= 400, "plain HTTP is not served: " + plain.statusCode());
      } catch (IOException closed) {
        // refused: what a plain-HTTP client gets
      }

      Exception untrusted = assertThrows(Exception.class, () -> query(remote.url()));
      assertTrue(causes(untrusted).stream().anyMatch(t -> t instanceof SSLHandshakeException),
          "the handshake fails, saying why: " + causes(untrusted));
      assertTrue(causes(untrusted).stream().anyMatch(t -> String.valueOf(t.getMessage()).contains("PKIX path")),
          "names the untrusted certificate: " + causes(untrusted));
    }
  }

  private static void query(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.executeQuery("select 1").close();
    }
  }

  private static List<Throwable> causes(Throwable t) {
    List<Throwable> chain = new ArrayList<>();
    for (; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool finished");
    assertEquals(0, p.exitValue(), "keytool " + String.join(" ", args) + ": " + output);
  }
}
