package io.deltasql.server;

import java.io.IOException;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.calcite.avatica.remote.Service.RpcMetadataResponse;
import org.apache.calcite.avatica.server.AvaticaHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;

/**
 * Avatica's handler, run as the request's {@link RemoteUser} (Jetty's security handler in
 * front of it has authenticated them), timed into {@link ServerMetrics}.
 */
final class ServerHandler extends HandlerWrapper implements AvaticaHandler {
  private final AvaticaHandler avatica;
  private final ServerMetrics metrics;

  ServerHandler(AvaticaHandler avatica, ServerMetrics metrics) {
    this.avatica = avatica;
    this.metrics = metrics;
    setHandler(avatica);
  }

  @Override
  public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    long start = System.nanoTime();
    RemoteUser.of(request).bind();
    try {
      super.handle(target, baseRequest, request, response);
    } finally {
      RemoteUser.clear();
      metrics.request(response.getStatus(), System.nanoTime() - start);
    }
  }

  @Override
  public void setServerRpcMetadata(RpcMetadataResponse metadata) {
    avatica.setServerRpcMetadata(metadata);
  }
}
