package io.deltasql.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's settings: the configuration file, and the command-line options over it. */
class ServerMainTest {
  @TempDir
  Path dir;

  @Test
  void anOptionOverridesTheFileEvenWhenItEqualsTheDefault() throws IOException {
    Path file = dir.resolve("server.properties");
    Files.writeString(file, "port=8798\nhost=0.0.0.0\nserialization=json\n");
    ServerConfig options = ServerConfig.defaults().with(ServerProperty.PORT, "8765")
        .with(ServerProperty.SERIALIZATION, "protobuf");
    ServerConfig effective = ServerMain.effective(options, file);
    assertEquals("8765", effective.require(ServerProperty.PORT), "--port 8765 is the default and still wins");
    assertEquals("protobuf", effective.require(ServerProperty.SERIALIZATION));
    assertEquals("0.0.0.0", effective.require(ServerProperty.HOST), "not given: the file's");
    assertEquals("8765", ServerMain.effective(ServerConfig.defaults(), null).require(ServerProperty.PORT));
  }
}
