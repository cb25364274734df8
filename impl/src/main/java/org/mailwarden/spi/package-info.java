/**
 * The plug-in points of Mailwarden's stores: where quota buckets ({@link org.mailwarden.spi.QuotaStore})
 * and suppression entries ({@link org.mailwarden.spi.SuppressionStore}) live, and how a store outside
 * the JVM is found by name ({@link org.mailwarden.spi.StoreProvider}, through
 * {@link java.util.ServiceLoader}; {@code org.mailwarden:mailwarden-redis} is one).
 *
 * <p>Applications do not use this package; store implementations do. Every implementation runs the
 * contract suites published in the test-jar of {@code mailwarden-impl}
 * ({@code org.mailwarden.spi.QuotaStoreContract} and {@code org.mailwarden.spi.SuppressionStoreContract}):
 * a store that passes them can stand in for any other.
 *
 * <p>Rules every store follows:
 * <ul>
 *   <li>Implementations are thread-safe.
 *   <li>Time comes from the {@link org.mailwarden.spi.StoreContext} the store was opened with, never
 *       from the system clock directly, so tests can run a store on a fake clock.
 *   <li>A store outside the JVM bounds every call by {@link org.mailwarden.spi.StoreSettings#timeout()}
 *       and, when it does not answer, throws {@link org.mailwarden.spi.StoreUnavailableException} or
 *       answers from state held in the JVM, as {@link org.mailwarden.spi.StoreSettings#onFailure()} says.
 * </ul>
 */
@NullMarked
package org.mailwarden.spi;

import org.jspecify.annotations.NullMarked;
