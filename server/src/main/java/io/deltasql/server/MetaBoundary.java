package io.deltasql.server;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MissingResultsException;
import org.apache.calcite.avatica.NoSuchConnectionException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.ProtobufMeta;

/**
 * What every call from a client goes through on its way to {@link ServerMeta}: the connection
 * it names must be the caller's ({@link ServerMeta#enter}) and counts as busy (never expired)
 * until the call returns; statements it opens are remembered as that connection's; and its
 * failure leaves with its SQLState ({@link ServerErrors#toRemote}), counted by state.
 * Avatica's own "no such connection/statement" signals pass unchanged, since its client acts
 * on them.
 */
final class MetaBoundary implements InvocationHandler {
  private final ServerMeta meta;
  private final ServerMetrics metrics;

  private MetaBoundary(ServerMeta meta, ServerMetrics metrics) {
    this.meta = meta;
    this.metrics = metrics;
  }

  /** The meta that Avatica's service calls. */
  static ProtobufMeta wrap(ServerMeta meta, ServerMetrics metrics) {
    return (ProtobufMeta) Proxy.newProxyInstance(ProtobufMeta.class.getClassLoader(),
        new Class<?>[] {ProtobufMeta.class}, new MetaBoundary(meta, metrics));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return method.invoke(meta, args);
    }
    Object first = args == null || args.length == 0 ? null : args[0];
    String connectionId = first instanceof Meta.ConnectionHandle ch ? ch.id
        : first instanceof Meta.StatementHandle h ? h.connectionId : null;
    Integer statementId = first instanceof Meta.StatementHandle h ? h.id : null;
    ServerMeta.RemoteConnection connection = null;
    try {
      connection = meta.enter(method.getName(), connectionId, statementId);
      Object result = method.invoke(meta, args);
      meta.opened(result);
      return result;
    } catch (InvocationTargetException e) {
      throw failure(e.getCause());
    } catch (RuntimeException e) {
      throw failure(e);
    } finally {
      meta.exit(connection);
    }
  }

  private Throwable failure(Throwable e) {
    if (e instanceof NoSuchConnectionException || e instanceof NoSuchStatementException
        || e instanceof MissingResultsException || e instanceof Error) {
      metrics.error("avatica:" + e.getClass().getSimpleName());
      return e;
    }
    AvaticaRuntimeException remote = ServerErrors.toRemote(e, RemoteUser.current());
    metrics.error(remote.getSqlState());
    return remote;
  }
}
