/**
 * The Avatica HTTP server of deltasql: {@code bin/deltasql server} ({@link io.deltasql.server.ServerMain})
 * serves the driver to thin clients ({@code jdbc:avatica:remote:url=http://HOST:PORT;serialization=protobuf})
 * through {@link io.deltasql.server.DeltaServer}: Avatica's {@code HttpServer.Builder} and
 * {@code JdbcMeta}, with users, permissions, limits and metrics.
 */
package io.deltasql.server;
