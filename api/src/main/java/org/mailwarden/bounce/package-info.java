/**
 * What a bounce says about one recipient ({@link org.mailwarden.bounce.BouncedRecipient}) and why,
 * in Sisimai's vocabulary ({@link org.mailwarden.bounce.BounceReason}). The parser that produces
 * these records is in {@code org.mailwarden.bounce.parser} (mailwarden-impl).
 *
 * <p>Types here are {@link org.jspecify.annotations.NullMarked @NullMarked}: a parameter or return
 * value may be null only where it is annotated {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package org.mailwarden.bounce;

import org.jspecify.annotations.NullMarked;
