package io.deltasql.tck;

import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.server.DeltaServer;
import io.deltasql.server.ServerConfig;
import io.deltasql.server.ServerProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every script of the suite through the Avatica server: a {@link DeltaServer} on a free
 * loopback port over a fresh lake of each catalog backend, and the Avatica remote driver
 * ({@code jdbc:avatica:remote:}, protobuf) as the client. The same scripts pass embedded
 * ({@link SqlScriptTest}), so results, update counts and SQLStates reach a thin client as they
 * are. What Avatica's protocol cannot carry is skipped by the scripts' conditions
 * ({@link ScriptTarget#CONDITIONS}: whole nested values, binary as hex text); messages are
 * compared without the remote client's prefix ({@link SqlStateConnections}). The warehouse is
 * local, so {@code !files} still lists it. A failing script's actual
 * output is written to {@code target/quidem/remote-BACKEND/NAME}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
class RemoteSqlScriptTest {
  static final List<String> SCRIPTS = ScriptRunner.SCRIPTS;

  @Parameter
  CatalogBackend backend;

  @ParameterizedTest(name = "{0}")
  @FieldSource("SCRIPTS")
  void script(String script) throws IOException, SQLException {
    ScriptRunner.Result result;
    try (Lakes lake = Lakes.fresh(backend, "remote"); RemoteLake remote = RemoteLake.start(lake)) {
      result = ScriptRunner.run(script, remote);
    }
    ScriptChecks.assertPassed(result, backend, "remote");
  }

  /** A server over a lake, as a script target: every connection is a thin client's. */
  private record RemoteLake(Lakes lake, DeltaServer server) implements ScriptTarget, AutoCloseable {
    static RemoteLake start(Lakes lake) throws SQLException {
      ServerConfig config = ServerConfig.defaults()
          .with(ServerProperty.URL, lake.url(""))
          .with(ServerProperty.PORT, "0")
          .with(ServerProperty.SERIALIZATION, "protobuf");
      return new RemoteLake(lake, DeltaServer.start(config));
    }

    @Override
    public Connection connect(String name) throws SQLException {
      return DriverManager.getConnection("jdbc:avatica:remote:url=" + server.address() + ";serialization=protobuf");
    }

    @Override
    public Map<String, Boolean> conditions() {
      return Map.of("nestedValues", false, "binaryAsHex", false);
    }

    @Override
    public Optional<Path> warehouse() {
      return lake.warehouse();
    }

    @Override
    public Map<String, String> variables() {
      return lake.variables();
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
