/**
 * Mailwarden's entry point ({@link org.mailwarden.Mailwarden}), what a send returns or throws
 * ({@link org.mailwarden.SendReport}, {@link org.mailwarden.SendRefusedException} and its
 * subclasses, with their reasons), and the listener that observes sends.
 *
 * <p>Types here are {@link org.jspecify.annotations.NullMarked @NullMarked}: a parameter or return
 * value may be null only where it is annotated {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package org.mailwarden;

import org.jspecify.annotations.NullMarked;
