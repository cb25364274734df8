/**
 * Reading bounces: {@link org.mailwarden.bounce.parser.BounceParser} turns one raw message into
 * {@link org.mailwarden.bounce.BouncedRecipient} records, {@link
 * org.mailwarden.bounce.parser.BouncePoller} reads a bounce mailbox over IMAP or POP3.
 *
 * <p>Types here are {@link org.jspecify.annotations.NullMarked @NullMarked}: a parameter or return
 * value may be null only where it is annotated {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package org.mailwarden.bounce.parser;

import org.jspecify.annotations.NullMarked;
