package io.deltasql.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The server's meters, in the runtime's registry so that {@code sys.metrics} shows them next
 * to the driver's: {@code deltasql.server.connections} (open now), {@code .connections.opened},
 * {@code .refused} and {@code .expired}, {@code deltasql.server.requests} (a timer per HTTP
 * status, with p50 and p99), and {@code deltasql.server.errors} per SQLState.
 */
final class ServerMetrics {
  private final MeterRegistry registry;
  private final Counter opened;
  private final Counter refused;
  private final Counter expired;

  ServerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.opened = registry.counter("deltasql.server.connections.opened");
    this.refused = registry.counter("deltasql.server.connections.refused");
    this.expired = registry.counter("deltasql.server.connections.expired");
  }

  /** Publishes the number of open remote connections. */
  void openConnections(Supplier<Number> count) {
    Gauge.builder("deltasql.server.connections", count).strongReference(true).register(registry);
  }

  void opened() {
    opened.increment();
  }

  void refused() {
    refused.increment();
  }

  void expired() {
    expired.increment();
  }

  /** One HTTP request served, whatever its outcome. */
  void request(int status, long nanos) {
    Timer.builder("deltasql.server.requests")
        .tag("status", Integer.toString(status))
        .publishPercentiles(0.5, 0.99)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One failure sent to a client. */
  void error(String sqlState) {
    registry.counter("deltasql.server.errors", "sqlstate", sqlState).increment();
  }
}
