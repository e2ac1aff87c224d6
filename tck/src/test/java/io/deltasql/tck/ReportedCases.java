package io.deltasql.tck;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Records each test of a class as a case of a {@link TckReport} suite, passed or failed (an
 * aborted or disabled test is not a case). Register it on an instance field, so the catalog can
 * come from the class's parameter:
 *
 * <pre>{@code @RegisterExtension final ReportedCases cases = new ReportedCases("locking", () -> backend);}</pre>
 */
public final class ReportedCases implements TestWatcher {
  private final String suite;
  private final Supplier<String> catalog;

  /**
   * @param catalog the catalog the tests ran on ({@code h2}, {@code postgresql}), asked after
   *     each test
   */
  public ReportedCases(String suite, Supplier<String> catalog) {
    this.suite = suite;
    this.catalog = catalog;
  }

  @Override
  public void testSuccessful(ExtensionContext context) {
    record(context, true);
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    record(context, false);
  }

  private void record(ExtensionContext context, boolean passed) {
    String method = context.getRequiredTestMethod().getName();
    String display = context.getDisplayName();
    String name = display.startsWith(method) ? method : method + " [" + display + "]";
    TckReport.caseRun(catalog.get(), "embedded", suite, name, passed);
  }
}
