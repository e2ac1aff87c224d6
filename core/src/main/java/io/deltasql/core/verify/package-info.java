/**
 * Verification of a table's {@code _delta_log} against the catalog ({@code CALL verify('t')}):
 * {@link io.deltasql.core.verify.TableVerifier} reads both and reports every difference as a
 * {@link io.deltasql.core.verify.VerifyFinding} (kind, version, path, detail) in a
 * {@link io.deltasql.core.verify.VerifyReport}. What to do about each kind is in
 * {@code docs/runbook.md}.
 */
package io.deltasql.core.verify;
