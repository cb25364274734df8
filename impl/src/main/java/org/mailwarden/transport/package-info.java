/**
 * The {@code mailwarden} Jakarta Mail transport and its provider registration. Applications do not
 * use these classes by name: Jakarta Mail instantiates the transport for the protocol
 * {@code mailwarden}; {@link org.mailwarden.Mailwarden} is the explicit entry point.
 *
 * <p>Types here are {@link org.jspecify.annotations.NullMarked @NullMarked}: a parameter or return
 * value may be null only where it is annotated {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package org.mailwarden.transport;

import org.jspecify.annotations.NullMarked;
